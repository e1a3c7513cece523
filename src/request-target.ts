// What the router is given as the request's URL. HTTP/1.1 servers must accept a request target in absolute
// form (`POST http://shop.test/login HTTP/1.1`), which proxies send; passed on as it is, the router still
// finds the route but the session plugin takes it for a path outside its cookie's and leaves the request
// without a session. Served like its path instead.

const SCHEME_AND_AUTHORITY = /^[a-z][a-z\d+.-]*:\/\/[^/?#]*/i

/** `http://host/login?x=1` → `/login?x=1`, `http://host` → `/`; an origin-form target as it is. */
export function originFormOf(target: string): string {
  const prefix = SCHEME_AND_AUTHORITY.exec(target)?.[0]
  if (prefix === undefined) return target
  const rest = target.slice(prefix.length)
  return rest.startsWith('/') ? rest : `/${rest}`
}
