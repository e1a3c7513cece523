// Time-based rules (session lifetimes, the sign-in throttle) read this clock, so tests can move it.
export type Clock = { now: () => Date }

export const systemClock: Clock = { now: () => new Date() }

declare module 'fastify' {
  interface FastifyInstance {
    clock: Clock
  }
}
