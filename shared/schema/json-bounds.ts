/** How deep a JSON value may nest: `[[1]]` is depth 2. */
export const JSON_MAX_DEPTH = 32;
/** About how many characters a JSON value may take when serialized. */
export const JSON_MAX_SIZE = 64 * 1024;

/**
 * Why `value` is too deep or too large to be accepted as JSON data, or null when it is within
 * bounds. Walks without recursion and stops at the first bound crossed, so a hostile value costs no
 * more than the bounds allow (a recursive schema would overflow the stack on 20,000 levels first).
 */
export function jsonBoundsError(value: unknown, maxDepth = JSON_MAX_DEPTH, maxSize = JSON_MAX_SIZE): string | null {
  const stack: Array<[unknown, number]> = [[value, 1]];
  let size = 0;
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (typeof node === 'string') size += node.length + 2;
    else if (node === null || typeof node !== 'object') size += 5;
    else {
      if (depth > maxDepth) return `JSON data nests deeper than ${maxDepth} levels`;
      size += 2;
      if (Array.isArray(node)) {
        for (const item of node) stack.push([item, depth + 1]);
        size += node.length;
      } else {
        for (const key in node) {
          size += key.length + 4;
          stack.push([(node as Record<string, unknown>)[key], depth + 1]);
        }
      }
    }
    if (size > maxSize) return `JSON data is larger than ${maxSize} characters`;
  }
  return null;
}
