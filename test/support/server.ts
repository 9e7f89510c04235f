/** The MariaDB server of the tests (the machine's own, root without password): each test file makes its own database there (env.ts), and the global setup drops abandoned ones. */
export const TEST_SERVER_URL = 'mysql://root@127.0.0.1:3306/';
