// Runs a page's inline scripts under node with a stand-in DOM, submits one of its forms
// (or clicks one button) against a stand-in fetch, and prints what the page then shows.
// Input on stdin (JSON): scripts, form or button (element id), out (id of the message
// element), files (names chosen in the file input), values (id → what a person typed there
// after the page loaded), key (typed into a form's key box; 'k' unless given),
// reply: {status, type, body} or {network: true}.
const vm = require('vm');
const input = JSON.parse(require('fs').readFileSync(0, 'utf8'));
const els = {};
function el(id) {
  if (!els[id]) {
    els[id] = {id, textContent: '', className: '', value: '', disabled: false, dataset: {id: '1', link: '1', action: input.action ?? 'confirm'},
               listeners: {}, addEventListener(t, f) { this.listeners[t] = f; },
               querySelector(sel) { return el(id + ' ' + sel); }, replaceWith(x) { this.replacedWith = String(x); }};
  }
  return els[id];
}
const sent = [], keys = [], bodies = [];  // each request's URL, its X-API-Key header and its text body
const dialogs = [];  // what each confirm() asked; answered with input.confirm (true unless given)
const context = {
  document: {getElementById: el, querySelectorAll: (sel) => (sel === 'button.' + input.button_class ? [el(input.button)] : [])},
  location: {href: '', reload() { this.reloaded = true; }},
  sessionStorage: {saved: {}, getItem(k) { return this.saved[k] ?? null; }, setItem(k, v) { this.saved[k] = String(v); }},
  FormData, File, Response, JSON, encodeURIComponent, console, crypto, Uint8Array, Array,
  confirm: (message) => { dialogs.push(message); return input.confirm ?? true; },
  fetch: async (url, opts) => {
    // as a browser: a header value it cannot send is refused before anything is sent, and
    // the values sent are trimmed of spaces and line ends
    const headers = new Headers((opts || {}).headers);
    sent.push(url);
    bodies.push(typeof (opts || {}).body === 'string' ? opts.body : null);
    keys.push(headers.get('X-API-Key'));
    if (input.reply.network) throw new TypeError('fetch failed');
    return new Response(input.reply.body, {status: input.reply.status, headers: {'content-type': input.reply.type}});
  },
};
vm.createContext(context);
for (const s of input.scripts) vm.runInContext(s, context);
for (const [id, v] of Object.entries(input.values || {})) el(id).value = v;
(async () => {
  let error = null;
  try {
    if (input.form) {
      const form = el(input.form);
      Object.assign(form, {file: {files: (input.files || []).map((n) => new File(['x'], n))}, key: {value: input.key ?? 'k'},
                           text: {value: '走访企业'}, date: {value: ''}, region: {value: ''}});
      // `presses`: the button pressed that many times, each before the last answer came
      // (a double click while the server works; a disabled button sends nothing, as in a
      // browser); `then`: the replies of further presses, each after the last answer
      const press = () => (form.querySelector('button').disabled ? null : form.listeners.submit({preventDefault() {}, target: form}));
      await Promise.all(Array.from({length: input.presses || 1}, press));
      for (const reply of input.then || []) {
        input.reply = reply;
        await press();
      }
    } else {
      await el(input.button).listeners.click();
    }
  } catch (e) {
    error = String(e);
  }
  const out = el(input.out);
  const button = input.button ? el(input.button) : {};
  console.log(JSON.stringify({shown: out.textContent, cls: out.className, href: context.location.href, sent, keys, bodies, error,
                              replaced: button.replacedWith ?? null, reloaded: !!context.location.reloaded,
                              stored: context.sessionStorage.saved, dialogs,
                              // the links the page set: id → {href, hidden}
                              links: Object.fromEntries(Object.values(els).filter((e) => e.href !== undefined)
                                .map((e) => [e.id, {href: e.href, hidden: e.hidden}]))}));
})();
