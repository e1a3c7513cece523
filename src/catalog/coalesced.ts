// One query for every request that arrives while another is on its way, instead of one per request.
// A request never takes the answer of a query sent before it arrived: that query may have missed a change
// committed in between. So what a page shows is as fresh as if it had run its own query, on any instance,
// with nothing to invalidate; and a busy instance sends one query per round trip, however many requests wait.
export function coalesced<T>(load: () => Promise<T>): () => Promise<T> {
  let inFlight: Promise<T> | null = null
  let next: Promise<T> | null = null
  const send = (): Promise<T> => {
    const sent = load()
    inFlight = sent
    const settle = () => {
      if (inFlight === sent) inFlight = null
    }
    sent.then(settle, settle)
    return sent
  }
  return () => {
    if (inFlight === null) return send()
    // Whatever the query in flight ends with, the ones waiting for the next one get their own answer.
    next ??= inFlight
      .then(
        () => undefined,
        () => undefined,
      )
      .then(() => {
        next = null
        return send()
      })
    return next
  }
}
