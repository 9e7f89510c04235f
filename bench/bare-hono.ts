/**
 * The baseline server of `npm run bench:http`: Hono on @hono/node-server (the versions the app
 * runs on) answering `GET /` with a fixed text, nothing else — what any request costs before the
 * app does anything. Listens on PORT and says "listening on" like src/main.ts.
 */
import { serve } from '@hono/node-server';
import { Hono } from 'hono';

const app = new Hono();
app.get('/', (c) => c.text('ok'));
const port = Number(process.env.PORT);
serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, () => console.log(`listening on ${port}`));
