import type { Queryable } from '../store/db.ts';

export async function putText(q: Queryable, sha256: string, body: string): Promise<void> {
  await q.query('INSERT INTO texts (sha256, body, chars) VALUES ($1, $2, $3) ON CONFLICT (sha256) DO NOTHING', [
    sha256,
    body,
    body.length,
  ]);
}

export async function getText(q: Queryable, sha256: string): Promise<string | undefined> {
  const rows = await q.query<{ body: string }>('SELECT body FROM texts WHERE sha256 = $1', [sha256]);
  return rows[0]?.body;
}
