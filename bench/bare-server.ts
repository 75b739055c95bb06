// The baseline of the benchmarks: a bare fastify route returning a constant, with a response schema.
import Fastify from 'fastify'

const app = Fastify({ logger: false })
// The same path shape as the who-decides route, so the load tool does the same work against both.
app.get('/v1/initiatives/:id/decider', {
  schema: { response: { 200: { type: 'object', properties: { status: { type: 'string' } } } } }
}, async () => ({ status: 'ok' }))
app.get('/health', async () => ({ status: 'ok' }))
await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT ?? 3101) })
