import assert from 'node:assert/strict';
import type { LookupFunction } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { blockedReason, createAddressPolicy } from '../../src/fetch/address-guard.ts';
import { createFetcher } from '../../src/fetch/index.ts';
import { FAST, serve, type TestServer } from './servers.ts';

describe('address classification', () => {
  const refused = [
    '127.0.0.1', '127.8.9.10', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254', '100.64.0.1',
    '0.0.0.0', '224.0.0.251', '255.255.255.255', '::1', '::', 'fd00::1', 'fc12::1', 'fe80::1', 'ff02::1',
    '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:10.0.0.1', '64:ff9b::192.168.0.1', '2002:c0a8:0101::1', '[::1]',
  ];
  const allowed = ['8.8.8.8', '172.32.0.1', '100.128.0.1', '93.184.216.34', '2606:4700:4700::1111', '::ffff:8.8.8.8', '64:ff9b::8.8.8.8'];
  for (const ip of refused) test(`refuses ${ip}`, () => assert.ok(blockedReason(ip), ip));
  test('allows public addresses', () => {
    for (const ip of allowed) assert.equal(blockedReason(ip), undefined, ip);
  });
  test('an allow-list opens only what it names', () => {
    const policy = createAddressPolicy(['127.0.0.1', '10.0.0.0/8']);
    assert.equal(policy.refuse('127.0.0.1'), undefined);
    assert.equal(policy.refuse('10.200.0.1'), undefined);
    assert.equal(policy.refuse('127.0.0.2'), 'loopback');
    assert.equal(policy.refuse('192.168.0.1'), 'private network');
    assert.throws(() => createAddressPolicy(['not-an-ip']), /not an IP address/);
  });
});

describe('address guard on real fetches', () => {
  let first: TestServer;
  let second: TestServer;

  before(async () => {
    second = await serve((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<p>internal secret</p>'), '127.0.0.2');
    first = await serve((req, res) => {
      if (req.url === '/to-second') res.writeHead(302, { location: second.url('/secret') }).end();
      else if (req.url === '/to-metadata') res.writeHead(307, { location: 'http://169.254.169.254/latest/meta-data/' }).end();
      else if (req.url === '/to-v6-loopback') res.writeHead(302, { location: `http://[::1]:${second.port}/` }).end();
      else res.writeHead(200, { 'content-type': 'text/html' }).end('<p>public page</p>');
    });
  });
  after(async () => {
    await first.close();
    await second.close();
  });

  test('default config refuses loopback URLs without connecting', async () => {
    const fetcher = createFetcher({ politenessDelayMs: 0, retries: 0 });
    try {
      for (const url of [first.url('/'), `http://localhost:${first.port}/`, `http://[::1]:${first.port}/`, `http://2130706433:${first.port}/`]) {
        const out = await fetcher.fetchPage(url);
        assert.equal(out.ok, false, url);
        if (!out.ok) {
          assert.equal(out.problem.kind, 'blocked-address', `${url}: ${out.problem.detail}`);
          assert.match(out.problem.detail, /loopback/);
          assert.equal(out.problem.url, url);
        }
      }
      assert.equal(first.connections(), 0, 'nothing ever connected to the server');
    } finally {
      await fetcher.close();
    }
  });

  test('a redirect to a loopback address outside the allow-list is refused', async () => {
    const fetcher = createFetcher({ ...FAST, allowPrivateAddresses: ['127.0.0.1'], retries: 0 });
    try {
      const ok = await fetcher.fetchPage(first.url('/'));
      assert.equal(ok.ok, true);
      for (const path of ['/to-second', '/to-metadata', '/to-v6-loopback']) {
        const out = await fetcher.fetchPage(first.url(path));
        assert.equal(out.ok, false);
        if (!out.ok) assert.equal(out.problem.kind, 'blocked-address', `${path}: ${out.problem.detail}`);
      }
      assert.equal(second.connections(), 0, 'nothing ever connected to the internal server');
    } finally {
      await fetcher.close();
    }
  });

  test('the resolved address is checked, whatever the name looks like', async () => {
    // A public-looking name that resolves to a private address (DNS rebinding, or a hostile record).
    const lookup = ((hostname: string, options: { all?: boolean }, cb: (...args: unknown[]) => void) => {
      const answer = hostname === 'terms.example.com' ? [{ address: '10.0.0.7', family: 4 }] : [{ address: '127.0.0.2', family: 4 }];
      if (options.all) cb(null, answer);
      else cb(null, answer[0]!.address, answer[0]!.family);
    }) as unknown as LookupFunction;
    const fetcher = createFetcher({ ...FAST, allowPrivateAddresses: ['127.0.0.1'], lookup, retries: 0 });
    try {
      const out = await fetcher.fetchPage('http://terms.example.com/tos');
      assert.equal(out.ok, false);
      if (!out.ok) {
        assert.equal(out.problem.kind, 'blocked-address');
        assert.match(out.problem.detail, /terms\.example\.com.*10\.0\.0\.7.*private network/);
      }
      const rebound = await fetcher.fetchPage(`http://rebound.example.com:${second.port}/`);
      assert.equal(rebound.ok, false);
      if (!rebound.ok) assert.equal(rebound.problem.kind, 'blocked-address');
      assert.equal(second.connections(), 0);
    } finally {
      await fetcher.close();
    }
  });
});
