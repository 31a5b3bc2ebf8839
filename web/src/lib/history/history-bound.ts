/**
 * The bound of a `history.*` page as of `asOf`, the replay's moment (undefined: live, no bound):
 * `to` is exclusive, so items stamped at the moment itself are in.
 */
export function historyBound(asOf: number | undefined): { to?: number } {
  return asOf === undefined ? {} : { to: asOf + 1 };
}
