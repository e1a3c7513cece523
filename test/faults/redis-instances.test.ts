// Two instances of the shop on one Redis (and one database), as behind a load balancer without sticky
// sessions: a session, its sign-out and a cart belong to neither instance.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { addToCart, createAccounts, signIn } from '../helpers/accounts.ts'
import { CookieJar } from '../helpers/cookie-jar.ts'
import { createTestDatabase } from '../helpers/database.ts'
import { headerCount } from '../helpers/pages.ts'
import { openDb } from '../helpers/shop-data.ts'
import { httpVisitor } from '../helpers/visitor.ts'
import { RedisServer } from './helpers/redis-server.ts'
import { startShop } from './helpers/shop-process.ts'

test('on one Redis: signed in at A works at B, a cart add at A shows at B, a sign-out at B ends it at A', async (t) => {
  const databaseUrl = await createTestDatabase(t)
  const db = openDb(t, databaseUrl)
  const redis = await RedisServer.start(t)
  const env = { SESSION_REDIS_URL: redis.url }
  const [a, b] = await Promise.all([startShop(t, { databaseUrl, env }), startShop(t, { databaseUrl, env })])
  const [email = ''] = await createAccounts(db, 'redis-instances', 1)
  const atA = httpVisitor(a.url)
  const atB = httpVisitor(b.url, atA.cookies)

  assert.equal((await signIn(atA, email)).status, 303)
  assert.equal((await redis.keys('*session:*')).length, 1, 'the session is kept in this Redis')
  const account = await atB.get('/account')
  assert.equal(account.status, 200, 'B knows the session A started')
  assert.match(account.body, new RegExp(email))
  assert.equal((await addToCart(atA, 2, 3, { csrfToken: await atA.csrfToken('/') })).status, 303)
  assert.equal(headerCount((await atB.get('/cart')).body), 3, 'B shows the line added at A')

  const copied = new CookieJar(atA.cookies)
  assert.equal((await atB.post('/logout', { _csrf: await atB.csrfToken('/') })).status, 303)
  const replayAtA = await httpVisitor(a.url, copied).get('/account')
  assert.equal(replayAtA.status, 303, 'A no longer knows the session signed out at B')
  assert.equal(replayAtA.location, '/login?next=%2Faccount')
})
