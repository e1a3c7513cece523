// What a request changed in its session's data, key by key. Both stores write only those keys: two close
// requests of one session that change different keys (a flash message in one tab, a pending sign-in in
// another) both land, where writing the whole data back would let the later save undo the earlier one.
// Two requests that change the same key still end with the later one's value.
import type { StoredRecord } from './types.ts'

type Snapshot = ReadonlyMap<string, string>

// Keyed by the store's record of the load, which @fastify/session carries over into the request's session by
// reference (and which the session's data never holds: it is not persisted).
const loadedData = new WeakMap<StoredRecord, Snapshot>()

/** Remembers the data as loaded, each key as its JSON. */
export function rememberLoaded(stored: StoredRecord, data: Record<string, unknown>): void {
  loadedData.set(stored, new Map(Object.entries(data).map(([key, value]) => [key, JSON.stringify(value)])))
}

export type DataChanges = { changed: Record<string, unknown>; removed: string[] }

/** The keys whose value differs from the load's, and the keys the request removed. */
export function changesOf(stored: StoredRecord, data: Record<string, unknown>): DataChanges {
  const loaded = loadedData.get(stored) ?? new Map<string, string>()
  const changed: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(data)) {
    if (value !== undefined && loaded.get(key) !== JSON.stringify(value)) changed[key] = value
  }
  const removed = [...loaded.keys()].filter((key) => data[key] === undefined)
  return { changed, removed }
}
