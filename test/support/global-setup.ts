import mysql from 'mysql2/promise';

/** Drops test databases left behind by an interrupted earlier run (names start with crm_t_). */
export default async function setup(): Promise<void> {
  const conn = await mysql.createConnection({ uri: process.env.TEST_SERVER_URL ?? 'mysql://root@127.0.0.1:3306/' });
  try {
    const [rows] = await conn.query<mysql.RowDataPacket[]>("SHOW DATABASES LIKE 'crm\\_t\\_%'");
    for (const r of rows) await conn.query(`DROP DATABASE IF EXISTS \`${Object.values(r)[0]}\``);
  } finally {
    await conn.end();
  }
}
