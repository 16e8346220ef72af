import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { detectBotWall } from '../../src/fetch/bot-wall.ts';
import { charsetFromMarkup, decodeText, decodeWith } from '../../src/fetch/charset.ts';
import { resolveConfig, DEFAULTS } from '../../src/fetch/config.ts';
import { classifyBody } from '../../src/fetch/media.ts';
import { backoffDelay, parseRetryAfter } from '../../src/fetch/retry.ts';

describe('charset detection', () => {
  const markup = (s: string) => Buffer.from(s, 'latin1');
  test('finds the declaration in its common spellings', () => {
    assert.equal(charsetFromMarkup(markup('<meta charset="Shift_JIS">')), 'Shift_JIS');
    assert.equal(charsetFromMarkup(markup("<META CHARSET='gbk'/>")), 'gbk');
    assert.equal(charsetFromMarkup(markup('<meta charset=euc-kr>')), 'euc-kr');
    assert.equal(charsetFromMarkup(markup('<meta http-equiv="content-type" content="text/html; charset=koi8-r">')), 'koi8-r');
    assert.equal(charsetFromMarkup(markup('<meta content="text/html; charset=iso-8859-2" http-equiv="Content-Type">')), 'iso-8859-2');
    assert.equal(charsetFromMarkup(markup('<?xml version="1.0" encoding="windows-1250"?><html>')), 'windows-1250');
  });
  test('ignores commented-out declarations and anything past 4 KB', () => {
    assert.equal(charsetFromMarkup(markup('<!-- <meta charset="gbk"> --><p>')), undefined);
    assert.equal(charsetFromMarkup(markup(`${' '.repeat(5000)}<meta charset="gbk">`)), undefined);
  });
  test('a meta declaring UTF-16 means UTF-8 (it was readable as ASCII)', () => {
    assert.equal(decodeText(markup('<meta charset="utf-16"><p>x</p>'), 'text/html', true).encoding, 'utf-8');
  });
  test('header beats meta; meta is not consulted for plain text', () => {
    const body = markup('<meta charset="windows-1252"><p>\xE9</p>');
    assert.equal(decodeText(body, 'text/html; charset=iso-8859-2', true).encoding, 'iso-8859-2');
    assert.equal(decodeText(body, 'text/plain', false).source, 'default');
  });
  test('windows-1252 maps 0x80-0x9F to the right characters', () => {
    assert.equal(decodeWith('windows-1252', Uint8Array.from([0x80, 0x85, 0x91, 0x92, 0x96, 0x97, 0x99, 0x81])), '€…‘’–—™\x81');
  });
});

describe('retry timing', () => {
  test('Retry-After in seconds and as an HTTP date', () => {
    assert.equal(parseRetryAfter('120'), 120_000);
    const now = Date.parse('2025-01-01T00:00:00Z');
    assert.equal(parseRetryAfter('Wed, 01 Jan 2025 00:00:30 GMT', now), 30_000);
    assert.equal(parseRetryAfter('soon'), undefined);
    assert.equal(parseRetryAfter(undefined), undefined);
  });
  test('backoff doubles, stays within its step and the max', () => {
    const cfg = { retryBaseDelayMs: 1000, retryMaxDelayMs: 5000 };
    assert.equal(backoffDelay(0, cfg, () => 0), 500);
    assert.equal(backoffDelay(0, cfg, () => 1), 1000);
    assert.equal(backoffDelay(2, cfg, () => 1), 4000);
    assert.equal(backoffDelay(10, cfg, () => 1), 5000);
  });
});

describe('bot walls', () => {
  test('recognised on block statuses', () => {
    assert.match(detectBotWall(403, {}, '<title>Attention Required! | Cloudflare</title>') ?? '', /Cloudflare/);
    assert.match(detectBotWall(403, {}, '<script src="https://geo.captcha-delivery.com/captcha/"></script>') ?? '', /DataDome/);
    assert.match(detectBotWall(429, {}, '<div id="px-captcha"></div>') ?? '', /PerimeterX/);
    assert.match(detectBotWall(503, {}, 'Please verify you are human to continue') ?? '', /human/);
    assert.match(detectBotWall(403, { server: 'AkamaiGHost' }, '<H1>Access Denied</H1>') ?? '', /Akamai/);
  });
  test('a 200 needs an unmistakable interstitial', () => {
    assert.equal(detectBotWall(200, {}, '<h1>Privacy</h1><p>We use hCaptcha to verify you are human.</p>'), undefined);
    assert.ok(detectBotWall(200, {}, '<html><head><title>Just a moment...</title></head></html>'));
  });
  test('a plain 503 is not a bot wall', () => {
    assert.equal(detectBotWall(503, {}, '<h1>Service Unavailable</h1><p>Back soon.</p>'), undefined);
  });
});

describe('content classification', () => {
  test('by type, then by bytes for generic types', () => {
    assert.equal(classifyBody('text/html', Buffer.from('<p>')), 'html');
    assert.equal(classifyBody('application/xhtml+xml', Buffer.from('<p>')), 'html');
    assert.equal(classifyBody('text/markdown', Buffer.from('# x')), 'text');
    assert.equal(classifyBody('application/pdf', Buffer.from('x')), 'pdf');
    assert.equal(classifyBody('text/html', Buffer.from('%PDF-1.7 ...')), 'pdf');
    assert.equal(classifyBody('', Buffer.from('<!DOCTYPE html><p>')), 'html');
    assert.equal(classifyBody('application/octet-stream', Buffer.from([0, 1, 2, 3])), 'binary');
    assert.equal(classifyBody('image/jpeg', Buffer.from('<p>')), 'binary');
    assert.equal(classifyBody('application/zip', Buffer.from('PK')), 'binary');
  });
});

describe('config', () => {
  test('documented defaults', () => {
    assert.equal(DEFAULTS.timeoutMs, 30_000);
    assert.equal(DEFAULTS.maxBytes, 15 * 1024 * 1024);
    assert.equal(DEFAULTS.maxDecompressedBytes, 30 * 1024 * 1024);
    assert.equal(DEFAULTS.maxRedirects, 5);
    assert.equal(DEFAULTS.retries, 3);
    assert.equal(DEFAULTS.politenessDelayMs, 2000);
    assert.equal(DEFAULTS.allowPrivateAddresses, false);
    assert.equal(DEFAULTS.browserExecutable, '/usr/bin/chromium');
    assert.match(DEFAULTS.userAgent, /^Clausewatch\/\S+ \(\+https:\/\/github\.com\/clausewatch\/clausewatch; legal-document monitor\)$/);
  });
  test('undefined keeps the default, nonsense is refused', () => {
    assert.equal(resolveConfig({ timeoutMs: undefined }).timeoutMs, 30_000);
    assert.throws(() => resolveConfig({ timeoutMs: 0 }), /timeoutMs/);
    assert.throws(() => resolveConfig({ retries: -1 }), /retries/);
  });
});
