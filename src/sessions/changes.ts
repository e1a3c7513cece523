// What a request changed in its session's data, key by key. Both stores write only those keys: two close
// requests of one session that change different keys (a flash message in one tab, a pending sign-in in
// another) both land, where writing the whole data back would let the later save undo the earlier one.
// Two requests that change the same key still end with the later one's value.
import stringify from 'safe-stable-stringify'
import type { StoredRecord } from './types.ts'

// Compared as JSON with sorted keys: PostgreSQL's jsonb gives an object's keys back in an order of its own, so
// a plain JSON.stringify would see the cookie's settings as changed at every save.
const jsonOf = (value: unknown) => stringify(value) ?? ''

type Snapshot = ReadonlyMap<string, string>

// Keyed by the store's record of the load, which @fastify/session carries over into the request's session by
// reference (and which the session's data never holds: it is not persisted).
const loadedData = new WeakMap<StoredRecord, Snapshot>()

/** Remembers the data as loaded, each key as its JSON. */
export function rememberLoaded(stored: StoredRecord, data: Record<string, unknown>): void {
  loadedData.set(stored, new Map(Object.entries(data).map(([key, value]) => [key, jsonOf(value)])))
}

/**
 * Records that `key` now holds `value` in the store, written by another statement (a cart change's flash
 * message, see ../cart/flash-along.ts): the session's own save then has nothing to write for it.
 */
export function rememberWritten(stored: StoredRecord, key: string, value: unknown): void {
  const loaded = new Map(loadedData.get(stored))
  loaded.set(key, jsonOf(value))
  loadedData.set(stored, loaded)
}

export type DataChanges = { changed: Record<string, unknown>; removed: string[] }

/** The keys whose value differs from the load's, and the keys the request removed. */
export function changesOf(stored: StoredRecord, data: Record<string, unknown>): DataChanges {
  const loaded = loadedData.get(stored) ?? new Map<string, string>()
  const changed: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(data)) {
    if (value !== undefined && loaded.get(key) !== jsonOf(value)) changed[key] = value
  }
  const removed = [...loaded.keys()].filter((key) => data[key] === undefined)
  return { changed, removed }
}

export const isUnchanged = ({ changed, removed }: DataChanges) =>
  removed.length === 0 && Object.keys(changed).length === 0
