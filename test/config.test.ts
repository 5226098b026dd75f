// The configuration read from the environment: the demo is loaded into an empty
// database by default, except on a production server unless it asks for it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from '../src/config.js';

describe('the configuration', () => {
  it('loads the demo into an empty database by default, but not in production unless SEED_DEMO asks', () => {
    assert.equal(loadConfig({}).seedDemo, true);
    assert.equal(loadConfig({ NODE_ENV: 'production' }).seedDemo, false);
    assert.equal(loadConfig({ NODE_ENV: 'production', SEED_DEMO: 'true' }).seedDemo, true);
    assert.equal(loadConfig({ SEED_DEMO: 'no' }).seedDemo, false);
  });
});
