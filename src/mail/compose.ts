// Mail as the shop writes it: a template in views/mail/ per kind of message, plain text, with absolute links
// to PUBLIC_URL. The first line of a template is its subject ("Subject: ..."), then a blank line, then the body.
import path from 'node:path'
import { Eta } from 'eta'
import { formatCents } from '../shared/money.ts'
import { projectRoot } from '../shared/project-root.ts'

export type Mail = { to: string; subject: string; text: string }

export type MailTemplate =
  | 'verify-email'
  | 'password-reset'
  | 'password-changed'
  | 'email-change'
  | 'email-changed'
  | 'new-browser'
  | 'order-placed'
  | 'two-factor-off'
  | 'passkey-added'

export type ComposeMail = (template: MailTemplate, to: string, data?: Record<string, unknown>) => Mail

export function mailComposer(publicUrl: string): ComposeMail {
  // Plain text is not HTML: nothing to escape, so eta's escaping is off for mail.
  const eta = new Eta({
    views: path.join(projectRoot, 'views', 'mail'),
    autoEscape: false,
    autoTrim: false,
    cache: true,
  })
  return (template, to, data = {}) => {
    const rendered = eta.render(`./${template}`, {
      ...data,
      formatCents,
      link: (pathname: string) => publicUrl + pathname,
    })
    const match = /^Subject: (.+)\r?\n\r?\n([\s\S]*)$/.exec(rendered)
    if (match === null) throw new Error(`views/mail/${template}.eta must start with "Subject: ..." and a blank line`)
    return { to, subject: (match[1] as string).trim(), text: `${(match[2] as string).trimEnd()}\n` }
  }
}
