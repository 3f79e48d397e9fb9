import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, parseNotifyConfig } from '../../../pipeline/notify/notify-config.ts';
import { buildRequest, slackBody, webhookBody } from '../../../pipeline/notify/payloads.ts';
import { IncidentTracker } from '../../../pipeline/notify/incidents.ts';
import { verifySignature } from '../../../pipeline/notify/signature.ts';
import { DEFAULT_RETRAIN_POLICY } from '../../../pipeline/retrain/retrain-policy.ts';
import { reportAlerts } from './fixtures.ts';

const env = { OPS_SECRET: 'k3y', SLACK_URL: 'https://hooks.slack.com/services/T0/B0/secret-token' };

describe('notify config', () => {
  test('the issue example parses, with defaults filled in and secrets from the environment', () => {
    const c = parseNotifyConfig(
      {
        destinations: [
          { name: 'ops', kind: 'webhook', url: 'https://ops.example/hook', secretEnv: 'OPS_SECRET', minStatus: 'AMBER', models: ['*'] },
          { name: 'team', kind: 'slack', urlEnv: 'SLACK_URL', minStatus: 'RED', models: ['fraud-*'] },
        ],
      },
      env,
    );
    assert.equal(c.destinations[0].secret, 'k3y');
    assert.equal(c.destinations[1].url, env.SLACK_URL);
    assert.equal(c.destinations[1].secret, null);
    assert.equal(c.destinations[1].ratePerMinute, 60);
    assert.deepEqual(c.retrain, DEFAULT_RETRAIN_POLICY);
  });

  test('every mistake is one line naming the field, and never echoes a secret URL', () => {
    const bad = (raw: unknown, pattern: RegExp) => assert.throws(() => parseNotifyConfig(raw, env), (e: Error) => e instanceof ConfigError && pattern.test(e.message) && !e.message.includes('\n'));
    bad([], /must be an object/);
    bad({ destinations: [{ name: 'x', kind: 'webhook', url: 'https://x' }] }, /needs secretEnv/);
    bad({ destinations: [{ name: 'x', kind: 'webhook', url: 'https://x', secretEnv: 'NOPE' }] }, /NOPE is not set/);
    bad({ destinations: [{ name: 'x', kind: 'slack', url: 'ftp://x' }] }, /must be http/);
    bad({ destinations: [{ name: 'x', kind: 'slack', url: 'https://x', urlEnv: 'SLACK_URL' }] }, /exactly one of url and urlEnv/);
    bad({ destinations: [{ name: 'x', kind: 'slack', url: 'https://x', minStatus: 'GREEN' }] }, /minStatus must be AMBER or RED/);
    bad({ destinations: [{ name: 'x', kind: 'slack', url: 'https://x' }, { name: 'x', kind: 'slack', url: 'https://y' }] }, /used twice/);
    bad({ destinations: [], retry: { maxAttempts: 0 } }, /retry.maxAttempts/);
    bad({ destinations: [], retrain: { consecutive: 'three' } }, /retrain.consecutive/);
    bad({ destination: [] }, /unknown config key 'destination'/);
    try {
      parseNotifyConfig({ destinations: [{ name: 's', kind: 'slack', urlEnv: 'BAD' }] }, { BAD: 'not a url/secret-token' });
      assert.fail('accepted');
    } catch (err) {
      assert.ok(!(err as Error).message.includes('secret-token'), (err as Error).message);
    }
  });
});

describe('payloads', () => {
  const tracker = new IncidentTracker([{ name: 'ops', models: ['*'], minStatus: 'AMBER' }]);
  const [n] = tracker.apply(reportAlerts('fraud-1', ['GREEN', 'RED'], [['worst_radius', 'GREEN', 'RED']]));

  test('the webhook body has the contract fields at the top level', () => {
    const body = webhookBody(n, 'http://dash:3000/');
    assert.equal(body.modelId, 'fraud-1');
    assert.equal(body.status, 'RED');
    assert.equal(body.previousStatus, 'GREEN');
    assert.equal(body.incidentId, n.alert.reportId);
    assert.equal(body.event, 'incident.opened');
    assert.equal(body.at, new Date(n.alert.raisedAt).toISOString());
    assert.equal(body.dashboardUrl, 'http://dash:3000/?model=fraud-1');
    assert.deepEqual(body.features.map((f) => f.name), ['worst_radius']);
  });

  test('a Slack message a person can read, with the link, and mrkdwn escaped', () => {
    const odd = { ...n, alert: { ...n.alert, reason: 'a < b & c' } };
    const body = slackBody(odd, 'http://dash:3000/');
    assert.equal(body.text, 'fraud-1 is RED (was GREEN)');
    const text = body.blocks[0].text.text;
    assert.match(text, /:red_circle: \*fraud-1 is RED \(was GREEN\)\*/);
    assert.match(text, /a &lt; b &amp; c/);
    assert.match(text, /`worst_radius` RED: worst_radius: KS D 0.97/);
    assert.match(text, /<http:\/\/dash:3000\/\?model=fraud-1\|open the dashboard>/);
  });

  test('each attempt is signed over its exact body, and a receiver verifies it', () => {
    const r = buildRequest(n, { kind: 'webhook', secret: 'k3y' }, 'http://dash:3000/', 1_800_000_000_000);
    assert.equal(r.headers['x-aegis-delivery'], n.deliveryId);
    assert.deepEqual(verifySignature('k3y', r.headers['x-aegis-timestamp'], r.headers['x-aegis-signature'], r.body, 1_800_000_001_000), { ok: true });
    const unsigned = buildRequest(n, { kind: 'slack', secret: null }, 'http://dash:3000/', 0);
    assert.equal(unsigned.headers['x-aegis-signature'], undefined);
  });
});
