import type { IncomingMessage } from 'node:http';
import { BlockList, isIP } from 'node:net';

/** `::ffff:10.0.0.1` → `10.0.0.1`, so one client has one address whichever stack it came in on. */
function plain(address: string): string {
  return address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
}

/** Parses `10.0.0.0/8, 192.168.1.5, fd00::/8`; throws naming the first entry that is neither an address nor a CIDR range. */
export function parseProxyList(entries: readonly string[]): BlockList {
  const list = new BlockList();
  for (const entry of entries) {
    const [address = '', bits, extra] = entry.trim().split('/');
    const family = isIP(address);
    const prefix = bits === undefined ? undefined : Number(bits);
    const max = family === 4 ? 32 : 128;
    if (family === 0 || extra !== undefined || (prefix !== undefined && !(Number.isInteger(prefix) && prefix >= 0 && prefix <= max && bits !== ''))) {
      throw new Error(`not an IP address or CIDR range: ${entry}`);
    }
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (prefix === undefined) list.addAddress(plain(address), isIP(plain(address)) === 4 ? 'ipv4' : type);
    else list.addSubnet(address, prefix, type);
  }
  return list;
}

/**
 * The client's address for per-address limits: the peer's, unless the peer is a trusted proxy;
 * then the right-most `X-Forwarded-For` entry that is not a trusted proxy itself (entries left of
 * it were written by the client and prove nothing). Without trusted proxies the header is ignored,
 * so a client cannot pick its own address.
 */
export function clientAddressResolver(trusted: readonly string[]): (req: IncomingMessage) => string {
  const list = trusted.length > 0 ? parseProxyList(trusted) : null;
  const isTrusted = (address: string) => {
    const family = isIP(address);
    return family !== 0 && list!.check(address, family === 4 ? 'ipv4' : 'ipv6');
  };
  return (req) => {
    const peer = plain(req.socket.remoteAddress ?? 'unknown');
    if (list === null || !isTrusted(peer)) return peer;
    const header = req.headers['x-forwarded-for'];
    const hops = (Array.isArray(header) ? header.join(',') : (header ?? '')).split(',');
    let client = peer;
    for (let i = hops.length - 1; i >= 0 && i >= hops.length - 32; i--) {
      const hop = plain(hops[i]!.trim());
      if (isIP(hop) === 0) break;
      client = hop;
      if (!isTrusted(hop)) break;
    }
    return client;
  };
}
