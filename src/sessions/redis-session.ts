// A session as its Redis hash holds it: every field a string, times in milliseconds. The public id (what the
// sessions page shows) is made here, random, never derived from the id.
import { randomUUID } from 'node:crypto'

export type RedisSession = {
  data: Record<string, unknown>
  userId: number | null
  isRemembered: boolean
  userAgent: string
  createdAt: Date
  lastSeenAt: Date
  expiresAt: Date
  credentialVersion: number
  /** A guest's session with an anchor row in PostgreSQL, which its cart lines refer to. */
  isAnchored: boolean
  publicId: string
}

/** Field, value pairs for HSET; a new session gets its public id here. */
export function encodeRedisSession(session: Omit<RedisSession, 'publicId'>): string[] {
  return [
    ...dataFields(session.data),
    ['userId', session.userId === null ? '' : String(session.userId)],
    ['remembered', session.isRemembered ? '1' : '0'],
    ['userAgent', session.userAgent],
    ['createdAt', String(session.createdAt.getTime())],
    ['lastSeenAt', String(session.lastSeenAt.getTime())],
    ['expiresAt', String(session.expiresAt.getTime())],
    ['credentialVersion', String(session.credentialVersion)],
    ['anchored', session.isAnchored ? '1' : '0'],
    ['publicId', randomUUID()],
  ].flat()
}

// Each key of the session's data is a field of its own, so that an update writes only what it changed.
const DATA_PREFIX = 'd:'

/** Field, value pairs for the data's keys. */
export function dataFields(data: Record<string, unknown>): [string, string][] {
  return Object.entries(data).map(([key, value]) => [`${DATA_PREFIX}${key}`, JSON.stringify(value)])
}

export const dataField = (key: string) => `${DATA_PREFIX}${key}`

function dataOf(fields: Record<string, string>): Record<string, unknown> {
  const data: Record<string, unknown> = {}
  for (const [field, value] of Object.entries(fields)) {
    if (field.startsWith(DATA_PREFIX)) data[field.slice(DATA_PREFIX.length)] = JSON.parse(value)
  }
  return data
}

const time = (value: string | undefined) => new Date(Number(value))

/** The session, or null for a missing (or half-written) hash. */
export function decodeRedisSession(fields: Record<string, string>): RedisSession | null {
  const { userId, createdAt, lastSeenAt, expiresAt, publicId } = fields
  if (createdAt === undefined || lastSeenAt === undefined || expiresAt === undefined) return null
  return {
    data: dataOf(fields),
    userId: userId === undefined || userId === '' ? null : Number(userId),
    isRemembered: fields.remembered === '1',
    userAgent: fields.userAgent ?? '',
    createdAt: time(createdAt),
    lastSeenAt: time(lastSeenAt),
    expiresAt: time(expiresAt),
    credentialVersion: Number(fields.credentialVersion ?? 0),
    isAnchored: fields.anchored === '1',
    publicId: publicId ?? '',
  }
}
