// Request bodies in every encoding a client could pick, well-formed or not, for the fuzz test.
import fc from 'fast-check'
import type { Field } from './hostile-input.ts'

export type Encoding = {
  kind: 'form' | 'raw-form' | 'json' | 'multipart' | 'text' | 'none'
  contentType: string | null
}

export const anyEncoding: fc.Arbitrary<Encoding> = fc.oneof(
  { weight: 4, arbitrary: fc.constant({ kind: 'form', contentType: 'application/x-www-form-urlencoded' } as const) },
  fc.constant({ kind: 'raw-form', contentType: 'application/x-www-form-urlencoded' } as const),
  fc.constant({ kind: 'json', contentType: 'application/json' } as const),
  fc.constant({ kind: 'multipart', contentType: 'multipart/form-data; boundary=fuzz' } as const),
  fc.constant({ kind: 'text', contentType: 'text/plain' } as const),
  fc.constant({ kind: 'none', contentType: null } as const),
  fc
    .constantFrom(
      'application/x-www-form-urlencoded; charset=utf-16',
      'application/x-www-form-urlencoded;;;',
      'application/xml',
      'application/json; charset=latin1',
      '*/*',
      'form',
      '',
    )
    .map((contentType): Encoding => ({ kind: 'form', contentType })),
)

function bytesOf(value: Field['value']): Buffer {
  if ('json' in value) return Buffer.from(JSON.stringify(value.json) ?? 'null')
  return 'text' in value ? Buffer.from(value.text, 'utf8') : Buffer.from(value.bytes)
}

/** Every byte as %XX: legal everywhere, and fast enough for the megabyte values. */
export function percentEncode(bytes: Buffer): string {
  return bytes.toString('hex').replace(/../g, '%$&')
}

/** Raw bytes in a urlencoded body, but never `&`, `=`, `%` or `+`: a value must not turn into other fields. */
function rawForm(fields: Field[]): Buffer {
  const safe = (bytes: Buffer) =>
    Buffer.from(bytes.map((byte) => ('&=%+'.includes(String.fromCharCode(byte)) ? 0xff : byte)))
  const parts = fields.map((one) =>
    Buffer.concat([safe(Buffer.from(one.name)), Buffer.from('='), safe(bytesOf(one.value))]),
  )
  return Buffer.concat(parts.flatMap((part, i) => (i === 0 ? [part] : [Buffer.from('&'), part])))
}

function json(fields: Field[]): Buffer {
  // Written by hand, so that a duplicated field is there twice.
  const members = fields.map(({ name, value }) => {
    const encoded = 'json' in value ? JSON.stringify(value.json) : JSON.stringify(bytesOf(value).toString('utf8'))
    return `${JSON.stringify(name)}:${encoded ?? 'null'}`
  })
  return Buffer.from(`{${members.join(',')}}`)
}

function multipart(fields: Field[]): Buffer {
  const parts = fields.map((one) =>
    Buffer.concat([
      Buffer.from(`--fuzz\r\nContent-Disposition: form-data; name="${one.name.replaceAll('"', '')}"\r\n\r\n`),
      bytesOf(one.value),
      Buffer.from('\r\n'),
    ]),
  )
  return Buffer.concat([...parts, Buffer.from('--fuzz--\r\n')])
}

export function encodeBody(fields: Field[], encoding: Encoding): Buffer {
  switch (encoding.kind) {
    case 'raw-form':
      return rawForm(fields)
    case 'json':
      return json(fields)
    case 'multipart':
      return multipart(fields)
    default:
      return Buffer.from(
        fields.map((one) => `${percentEncode(Buffer.from(one.name))}=${percentEncode(bytesOf(one.value))}`).join('&'),
      )
  }
}
