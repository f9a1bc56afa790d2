import { findPostgresBin, startPostgresCluster } from '../../../src/fleet/dev/postgresCluster';

describe('the test PostgreSQL starter', () => {
  const saved = process.env.PG_BIN;
  afterEach(() => {
    if (saved === undefined) delete process.env.PG_BIN;
    else process.env.PG_BIN = saved;
  });

  it('when the binaries are not there, then starting fails and says what to install (never a quiet skip)', async () => {
    process.env.PG_BIN = '/nonexistent/postgresql/bin';
    expect(findPostgresBin()).toBeNull();
    await expect(startPostgresCluster()).rejects.toThrow(/PostgreSQL is not installed.*apt-get install -y postgresql/);
  });
});
