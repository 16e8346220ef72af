// Keeps fetches away from the machine's own network (SSRF). Declarations come from contributors, and a
// redirect or a DNS answer can point anywhere, so the check runs on the address actually being connected to.
import dns from 'node:dns';
import net, { type LookupFunction } from 'node:net';

export const BLOCKED_ADDRESS_CODE = 'ERR_CLAUSEWATCH_BLOCKED_ADDRESS';

export class BlockedAddressError extends Error {
  readonly code = BLOCKED_ADDRESS_CODE;
  readonly host: string;
  readonly address: string;
  constructor(host: string, address: string, reason: string) {
    super(host === address ? `refused to connect to ${address} (${reason})` : `refused to connect to ${host}: it resolves to ${address} (${reason})`);
    this.name = 'BlockedAddressError';
    this.host = host;
    this.address = address;
  }
}

const V4_RANGES: [string, number, string][] = [
  ['0.0.0.0', 8, 'unspecified / this network'],
  ['10.0.0.0', 8, 'private network'],
  ['100.64.0.0', 10, 'carrier-grade NAT'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link-local'],
  ['172.16.0.0', 12, 'private network'],
  ['192.0.0.0', 24, 'IETF protocol assignments'],
  ['192.0.2.0', 24, 'documentation'],
  ['192.168.0.0', 16, 'private network'],
  ['198.18.0.0', 15, 'benchmarking'],
  ['198.51.100.0', 24, 'documentation'],
  ['203.0.113.0', 24, 'documentation'],
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved / broadcast'],
];

const V6_RANGES: [string, number, string][] = [
  ['::', 128, 'unspecified'],
  ['::1', 128, 'loopback'],
  ['100::', 64, 'discard-only'],
  ['2001:db8::', 32, 'documentation'],
  ['fc00::', 7, 'unique-local'],
  ['fe80::', 10, 'link-local'],
  ['fec0::', 10, 'site-local'],
  ['ff00::', 8, 'multicast'],
];

function parseV4(text: string): number[] | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const nums = parts.map((p) => (/^\d{1,3}$/.test(p) ? Number(p) : NaN));
  return nums.every((n) => n >= 0 && n <= 255) ? nums : undefined;
}

/** Expands an IPv6 address into eight 16-bit groups. */
function parseV6(text: string): number[] | undefined {
  let addr = text.split('%')[0]!;
  const tail: number[] = [];
  const lastColon = addr.lastIndexOf(':');
  if (addr.slice(lastColon + 1).includes('.')) {
    const v4 = parseV4(addr.slice(lastColon + 1));
    if (!v4) return undefined;
    tail.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
    addr = addr.slice(0, lastColon);
    // '::1.2.3.4' leaves ':' behind; put the elision back.
    if (addr.endsWith(':')) addr += ':';
  }
  const halves = addr.split('::');
  if (halves.length > 2) return undefined;
  const toGroups = (s: string) => (s === '' ? [] : s.split(':').map((g) => (/^[0-9a-f]{1,4}$/i.test(g) ? parseInt(g, 16) : NaN)));
  const head = toGroups(halves[0]!);
  const rest = halves.length === 2 ? toGroups(halves[1]!) : [];
  const fill = 8 - head.length - rest.length - tail.length;
  if (halves.length === 1 && fill !== 0) return undefined;
  if (fill < 0) return undefined;
  const groups = [...head, ...new Array<number>(halves.length === 2 ? fill : 0).fill(0), ...rest, ...tail];
  return groups.length === 8 && groups.every((g) => Number.isInteger(g)) ? groups : undefined;
}

/** IPv4 address embedded in IPv4-mapped, IPv4-compatible, NAT64 or 6to4 IPv6 forms, which reach that IPv4 host. */
function embeddedV4(groups: number[]): string | undefined {
  const v4 = (hi: number, lo: number) => `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  const [g0, g1, g2, g3, g4, g5, g6, g7] = groups as [number, number, number, number, number, number, number, number];
  if (g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0 && (g5 === 0xffff || g5 === 0) && (g6 !== 0 || g7 > 1)) return v4(g6, g7);
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0) return v4(g6, g7);
  if (g0 === 0x2002) return v4(g1, g2);
  return undefined;
}

function makeList(ranges: [string, number, string][], family: 'ipv4' | 'ipv6') {
  return ranges.map(([base, prefix, reason]) => {
    const list = new net.BlockList();
    list.addSubnet(base, prefix, family);
    return { list, reason };
  });
}
const V4_LISTS = makeList(V4_RANGES, 'ipv4');
const V6_LISTS = makeList(V6_RANGES, 'ipv6');

/** Why an address must not be contacted, or undefined when it is a public address. */
export function blockedReason(address: string): string | undefined {
  const ip = address.replace(/^\[|\]$/g, '');
  const family = net.isIP(ip);
  if (family === 4) {
    if (ip === '255.255.255.255') return 'broadcast';
    return V4_LISTS.find((r) => r.list.check(ip, 'ipv4'))?.reason;
  }
  if (family === 6) {
    const groups = parseV6(ip);
    if (!groups) return 'unparseable IPv6 address';
    const inner = embeddedV4(groups);
    if (inner) {
      const why = blockedReason(inner);
      if (why) return `${why}, embedded in IPv6`;
    }
    return V6_LISTS.find((r) => r.list.check(ip, 'ipv6'))?.reason;
  }
  return 'not an IP address';
}

export interface AddressPolicy {
  /** Undefined when the address may be contacted; otherwise the reason it may not. */
  refuse(address: string): string | undefined;
}

export function createAddressPolicy(allow: boolean | string[]): AddressPolicy {
  if (allow === true) return { refuse: () => undefined };
  const allowed = new net.BlockList();
  for (const entry of allow === false ? [] : allow) {
    const [base, prefix] = entry.split('/');
    const family = net.isIP(base ?? '');
    if (!family) throw new RangeError(`allowPrivateAddresses: "${entry}" is not an IP address or CIDR`);
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (prefix === undefined) allowed.addAddress(base!, type);
    else allowed.addSubnet(base!, Number(prefix), type);
  }
  return {
    refuse(address) {
      const ip = address.replace(/^\[|\]$/g, '');
      const reason = blockedReason(ip);
      if (!reason) return undefined;
      const family = net.isIP(ip);
      if (family && allowed.check(ip, family === 4 ? 'ipv4' : 'ipv6')) return undefined;
      return reason;
    },
  };
}

/** URL hostnames keep IPv6 brackets; sockets and the guard want the bare address. */
export function bareHost(hostname: string): string {
  return hostname.replace(/^\[|\]$/g, '');
}

/** Refuses an IP-literal host up front: the OS connects to literals without any lookup, so no lookup hook would see them. */
export function assertLiteralAllowed(policy: AddressPolicy, hostname: string): void {
  const host = bareHost(hostname);
  if (!net.isIP(host)) return;
  const reason = policy.refuse(host);
  if (reason) throw new BlockedAddressError(host, host, reason);
}

type LookupResult = { address: string; family: number };

/** A net-compatible lookup that resolves, drops refused addresses, and fails when none is left. Used as the socket's
 *  own lookup, so the address checked is the address connected to: DNS rebinding gets no second answer. */
export function guardedLookup(policy: AddressPolicy, base: LookupFunction = dns.lookup as unknown as LookupFunction): LookupFunction {
  return ((hostname: string, options: dns.LookupOptions, callback: (err: Error | null, address: string | LookupResult[], family?: number) => void) => {
    const wantAll = options?.all === true;
    base(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, wantAll ? [] : '', undefined);
      const list: LookupResult[] = Array.isArray(addresses)
        ? (addresses as LookupResult[])
        : [{ address: addresses as unknown as string, family: net.isIP(addresses as unknown as string) }];
      const ok = list.filter((a) => !policy.refuse(a.address));
      if (ok.length === 0) {
        const first = list[0];
        const error = first
          ? new BlockedAddressError(hostname, first.address, policy.refuse(first.address) ?? 'refused')
          : Object.assign(new Error(`no address found for ${hostname}`), { code: 'ENOTFOUND' });
        return callback(error, wantAll ? [] : '', undefined);
      }
      if (wantAll) return callback(null, ok);
      return callback(null, ok[0]!.address, ok[0]!.family);
    });
  }) as LookupFunction;
}

/** Resolves a host through the guard, for callers that connect themselves (the browser proxy). */
export function resolveGuarded(lookup: LookupFunction, policy: AddressPolicy, host: string): Promise<LookupResult> {
  const bare = bareHost(host);
  if (net.isIP(bare)) {
    const reason = policy.refuse(bare);
    return reason ? Promise.reject(new BlockedAddressError(bare, bare, reason)) : Promise.resolve({ address: bare, family: net.isIP(bare) });
  }
  return new Promise((resolve, reject) => {
    lookup(bare, { all: false }, (err, address, family) => {
      if (err) reject(err);
      else resolve({ address: address as string, family: family ?? net.isIP(address as string) });
    });
  });
}
