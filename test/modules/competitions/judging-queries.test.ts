// The jurors' queries, read as the database receives them: not one names a
// private column of an entry. (The HTTP tests check the bytes of the answers;
// this checks that the data is never even read.)
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { KyselyPlugin, RootOperationNode } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../../helpers.js';
import * as blind from '../../../src/modules/competitions/judging.repository.js';
import { PRIVATE_ENTRY_COLUMNS } from '../../../src/modules/competitions/judging.js';

let test: TestDatabase;
before(async () => {
  test = await createTestDatabase();
});
after(async () => {
  await test.drop();
});

describe('the jurors’ queries', () => {
  it('never select, filter or join on an entrant’s private facts', async () => {
    const seen: RootOperationNode[] = [];
    const spy: KyselyPlugin = {
      transformQuery: (args) => {
        seen.push(args.node);
        return args.node;
      },
      transformResult: async (args) => args.result,
    };
    const db = test.db.withPlugin(spy);
    const id = '00000000-0000-7000-8000-000000000000';
    await blind.seatsOfUser(db, id);
    await blind.blindEntriesOfCategory(db, id);
    await blind.blindEntry(db, id);
    await blind.jurorsOfCategory(db, id);
    await blind.scoresOfEntries(db, [id]);
    await blind.scoresOf(db, id, id);
    await blind.conflictsOfCategory(db, id);
    await blind.hasConflict(db, id, id);
    await blind.awardsOfCategory(db, id);
    assert.equal(seen.length, 9);
    const text = JSON.stringify(seen);
    // user_id is read from jurors (whose seat it is), never from entries: check each column by its table.
    for (const column of PRIVATE_ENTRY_COLUMNS.filter((c) => c !== 'user_id'))
      assert.ok(!text.includes(`"${column}"`), `no query mentions entries.${column}`);
    for (const node of seen) {
      const q = JSON.stringify(node);
      if (q.includes('"entries"')) assert.ok(!q.includes('"user_id"'), 'a query on entries never reads who entered');
    }
  });
});
