/** Which origins may open the websocket: same origin by default, else exactly the allow-list. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { OriginPolicy, normalizeOrigin } from '../../../services/gateway/origin-policy.ts';

describe('OriginPolicy', () => {
  test('same origin by default: the Origin host:port must be the request Host', () => {
    const policy = new OriginPolicy();
    assert.equal(policy.allows('http://127.0.0.1:3917', '127.0.0.1:3917'), true);
    assert.equal(policy.allows('http://LOCALHOST:3000', 'localhost:3000'), true);
    assert.equal(policy.allows('http://evil.example', '127.0.0.1:3917'), false);
    assert.equal(policy.allows('http://127.0.0.1:4000', '127.0.0.1:3917'), false, 'another port is another origin');
    assert.equal(policy.allows('http://localhost:3917', '127.0.0.1:3917'), false, 'another host name is another origin');
    assert.equal(policy.allows('http://127.0.0.1:3917', undefined), false);
    assert.equal(policy.allows('http://localhost', 'localhost:80'), true, 'default port in Host');
  });

  test('with an allow-list, only the listed origins, whatever the Host', () => {
    const policy = new OriginPolicy(['https://ops.example.com', 'http://127.0.0.1:8080/']);
    assert.equal(policy.allows('https://ops.example.com', 'gateway:3000'), true);
    assert.equal(policy.allows('https://ops.example.com:443', 'gateway:3000'), true, 'default port normalized');
    assert.equal(policy.allows('http://127.0.0.1:8080', 'gateway:3000'), true);
    assert.equal(policy.allows('http://gateway:3000', 'gateway:3000'), false, 'same origin is not implied by a list');
    assert.equal(policy.allows('http://ops.example.com', 'gateway:3000'), false, 'scheme matters');
    assert.equal(policy.describe(), 'https://ops.example.com,http://127.0.0.1:8080');
  });

  test('opaque and malformed origins are refused; no Origin (not a browser page) is let through', () => {
    const policy = new OriginPolicy();
    assert.equal(policy.allows('null', 'h:1'), false);
    assert.equal(policy.allows('file://', 'h:1'), false);
    assert.equal(policy.allows('not a url', 'h:1'), false);
    assert.equal(policy.allows(undefined, 'h:1'), true);
    assert.equal(normalizeOrigin('chrome-extension://abc'), undefined);
  });
});
