// Passkey buttons (views/partials/passkey-button.eta): each runs one WebAuthn ceremony with the shop, through
// @simplewebauthn/browser (served as /static/vendor/simplewebauthn-browser.js). Both steps are JSON POSTs
// that carry the page's CSRF token in the X-CSRF-Token header. Where the browser has no WebAuthn, the
// buttons stay hidden and the password forms are all there is.
;(() => {
  const webauthn = window.SimpleWebAuthnBrowser
  if (webauthn === undefined || !webauthn.browserSupportsWebAuthn()) return

  for (const block of document.querySelectorAll('[data-passkey]')) {
    const button = block.querySelector('button')
    const error = block.querySelector('[role="alert"]')
    block.hidden = false
    button.addEventListener('click', async () => {
      button.disabled = true
      error.hidden = true
      try {
        const csrf = block.querySelector('input[name="_csrf"]').value
        window.location.assign(await runCeremony({ ...block.dataset, csrf }))
      } catch (failure) {
        error.textContent = failure.message
        error.hidden = false
        button.disabled = false
      }
    })
  }

  /** Options, the browser's ceremony, then the answer; resolves to where to go next. */
  async function runCeremony({ passkey: mode, options: optionsUrl, answer: answerUrl, csrf, next }) {
    const options = await postJson(optionsUrl, {}, csrf)
    if (options.confirm) return options.confirm
    let answer
    try {
      answer =
        mode === 'register'
          ? await webauthn.startRegistration({ optionsJSON: options })
          : await webauthn.startAuthentication({ optionsJSON: options })
    } catch {
      throw new Error('The passkey was not used. Please try again.')
    }
    const result = await postJson(answerUrl, { ...answer, next }, csrf)
    return result.confirm ?? result.redirect ?? window.location.pathname
  }

  /** POSTs JSON. A stale confirmation (401 with where to confirm) is passed on; other refusals become errors. */
  async function postJson(url, body, csrf) {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
      body: JSON.stringify(body),
      credentials: 'same-origin',
    })
    const data = await response.json().catch(() => ({}))
    if (response.status === 401 && typeof data.confirm === 'string') return { confirm: data.confirm }
    if (!response.ok) throw new Error(data.error ?? 'Something went wrong. Please reload the page and try again.')
    return data
  }
})()
