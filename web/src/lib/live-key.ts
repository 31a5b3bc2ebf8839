/** The query key a stream's view lives under: the procedure and its input (filters included). */
export function liveKey(path: string, input: object = {}): readonly ['live', string, object] {
  return ['live', path, input] as const;
}
