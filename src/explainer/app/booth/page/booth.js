// The recording booth's page: walks the lecture's segments, records a take from the microphone,
// plays it over the step's clip, and sends it to the booth when accepted. Plain JS, no build step.
"use strict";

const $ = (id) => document.getElementById(id);
const COUNT_IN_BEATS = 3;
const BEAT_SECONDS = 0.5;
const VOICES = { neural: "the neural voice", draft: "the draft voice", recorded: "your take", none: "no voice (silent)" };

// The page's state; `window.booth` lets a test (or a curious lecturer) look at it.
const booth = {
  state: null,          // what /api/state said last
  key: null,            // "slide/index" of the segment shown
  pending: new Map(),   // key → {blob, url, seconds, version}: recorded, not accepted yet (kept while walking)
  recording: null,      // {recorder, started, timer} while recording
  countingIn: null,     // the count-in's timer, while counting in
  stream: null, audio: null, analyser: null,
  busy: false,
  editing: null,        // the script version the reword editor was opened on
  takeRecorded: null,   // (blob, seconds) → hold a take for the segment shown (recording ends here)
};
window.booth = booth;

const keyOf = (segment) => `${segment.slide}/${segment.index}`;
const segments = () => (booth.state ? booth.state.segments : []);
const currentIndex = () => segments().findIndex((s) => keyOf(s) === booth.key);
const current = () => segments()[currentIndex()] || null;

function say(text, kind = "") {
  const message = $("message");
  message.textContent = text;
  message.className = `message ${kind}`;
}

// -- state from the booth -----------------------------------------------------------------

let refreshing = null;

function refresh() {
  // One request at a time: a slow answer (the booth saving a take) is not queued behind by more.
  if (!refreshing) refreshing = fetchState().finally(() => { refreshing = null; });
  return refreshing;
}

async function fetchState() {
  let response;
  try {
    response = await fetch("/api/state", { cache: "no-store" });
  } catch (error) {
    $("render").textContent = "the booth is not answering: is `explainer record` still running?";
    $("render").className = "render failed";
    return;
  }
  if (!response.ok) {
    $("render").textContent = response.status === 403 ? "open the link `explainer record` printed" : `the booth answered ${response.status}`;
    $("render").className = "render failed";
    return;
  }
  const state = await response.json();
  const first = booth.state === null;
  booth.state = state;
  if (first || !state.segments.some((s) => keyOf(s) === booth.key)) {
    const start = state.segments.find((s) => !s.take) || state.segments[0];
    booth.key = start ? keyOf(start) : null;
  }
  draw();
}

function setSource(element, url) {
  // Only when it changed: re-setting the same picture would flicker.
  if ((element.getAttribute("src") || null) !== (url || null)) {
    if (url) element.setAttribute("src", url); else element.removeAttribute("src");
  }
}

function drawHeader(state) {
  const total = state.segments.length;
  const stale = state.stale ? ` · ${state.stale} stale (words changed)` : "";
  $("progress").textContent = state.missing === 0 && total
    ? `every one of ${total} segments has a take${stale}`
    : `${state.missing} of ${total} segments still need a take${stale}`;
  const render = state.render;
  const line = $("render");
  if (!render) { line.textContent = ""; return; }
  if (render.waiting) {
    line.textContent = "waiting for another explainer run (render or watch) to finish…";
    line.className = "render busy";
  } else if (render.running.length) {
    const queued = render.queued.length ? `, then ${render.queued.join(", ")}` : "";
    line.textContent = `rendering ${render.running.join(", ")}${queued}…`;
    line.className = "render busy";
  } else if (render.queued.length) {
    line.textContent = `about to render ${render.queued.join(", ")}…`;
    line.className = "render busy";
  } else if (render.ok === false) {
    line.textContent = `render failed: ${render.errors[0] || render.last}`;
    line.className = "render failed";
  } else {
    line.textContent = render.runs ? "pictures and voices up to date" : "";
    line.className = "render";
  }
}

function draw() {
  const state = booth.state;
  if (!state) return;
  drawHeader(state);
  $("problems").hidden = !state.problems.length;
  $("problems").textContent = state.problems.length
    ? `${state.script || "script.yaml"} has problems; fix them in your editor and save (the booth reloads it):\n${state.problems.join("\n")}` : "";
  const segment = current();
  const index = currentIndex();
  for (const id of ["prev", "next", "record", "play", "accept", "reference", "lecture", "reword", "keep"]) {
    $(id).disabled = !segment;
  }
  if (!segment) {
    $("sentence").textContent = state.problems.length ? "" : "these slides have no narration to record";
    return;
  }
  const pending = booth.pending.get(booth.key);
  $("position").textContent = `segment ${index + 1} of ${segments().length}`;
  $("slide-title").textContent = `${segment.title} (${segment.slide})`;
  $("step").textContent = segment.stepNumber ? `${segment.stepNumber} · ${segment.step}` : segment.step;
  $("line").textContent = `${state.script || "script.yaml"} line ${segment.line}`;
  $("sentence").textContent = segment.text;
  if (segment.voice) {
    const who = VOICES[segment.voice.name] || segment.voice.name;
    const changed = segment.voice.current ? "" : " (for the old words: the new ones are voiced as the slide renders)";
    $("voice").textContent = `${who} says it in ${segment.voice.seconds.toFixed(1)} s${changed}`;
  } else {
    $("voice").textContent = "not voiced yet: its slide renders in the background";
  }
  const take = $("take");
  if (pending) {
    take.textContent = `new take, ${pending.seconds.toFixed(1)} s, not saved yet: Space hears it over the step, Enter accepts it, R records again`;
    take.className = "take pending";
  } else if (segment.take && segment.take.stale) {
    take.textContent = `stale take: the words changed since it was recorded (${segment.take.name}). Record again (R), or keep it (K)`;
    take.className = "take stale";
  } else if (segment.take) {
    take.textContent = `take saved: ${segment.take.name}`;
    take.className = "take saved";
  } else {
    take.textContent = "no take yet: press R to record (a count-in of three beats first)";
    take.className = "take missing";
  }
  $("prev").disabled = index <= 0;
  $("next").disabled = index >= segments().length - 1;
  $("play").disabled = !(pending || segment.take);
  $("accept").disabled = !pending || booth.busy;
  $("keep").disabled = !(segment.take && segment.take.stale);
  $("record").classList.toggle("on", Boolean(booth.recording || booth.countingIn));
  $("record").firstChild.textContent = booth.recording ? "■ Stop " : "● Record ";
  setSource($("still"), segment.still);
  $("still").hidden = !segment.still || !$("clip").hidden;
  $("placeholder").hidden = Boolean(segment.still);
}

// -- moving --------------------------------------------------------------------------------

function move(by) {
  const list = segments();
  const index = currentIndex() + by;
  if (index < 0 || index >= list.length) return;
  if (booth.recording) stopRecording();
  cancelCountIn();
  stopPlayback();
  closeEditor();
  booth.key = keyOf(list[index]);
  say("");
  draw();
}

// -- the microphone ------------------------------------------------------------------------

async function microphone() {
  if (booth.stream) return booth.stream;
  // Raw sound: the browser's echo cancelling, noise suppression and gain would change the voice.
  booth.stream = await navigator.mediaDevices.getUserMedia({
    audio: { echoCancellation: false, noiseSuppression: false, autoGainControl: false, channelCount: 1 },
  });
  booth.audio = new AudioContext();
  booth.analyser = booth.audio.createAnalyser();
  booth.analyser.fftSize = 1024;
  booth.audio.createMediaStreamSource(booth.stream).connect(booth.analyser);
  const samples = new Float32Array(booth.analyser.fftSize);
  const level = $("level");
  const tick = () => {
    booth.analyser.getFloatTimeDomainData(samples);
    let peak = 0;
    for (const value of samples) peak = Math.max(peak, Math.abs(value));
    // A dB scale from -60 dBFS: speech shows in the green, clipping hits the red end.
    const db = 20 * Math.log10(Math.max(peak, 1e-6));
    level.style.width = `${Math.max(0, Math.min(100, (db + 60) / 60 * 100))}%`;
    level.className = db > -1 ? "clipping" : db > -9 ? "loud" : "";
    requestAnimationFrame(tick);
  };
  tick();
  return booth.stream;
}

function beep(high) {
  const context = booth.audio;
  const oscillator = context.createOscillator();
  const gain = context.createGain();
  oscillator.frequency.value = high ? 1320 : 880;
  gain.gain.setValueAtTime(0.2, context.currentTime);
  gain.gain.exponentialRampToValueAtTime(0.001, context.currentTime + 0.12);
  oscillator.connect(gain).connect(context.destination);
  oscillator.start();
  oscillator.stop(context.currentTime + 0.13);
}

function cancelCountIn() {
  if (!booth.countingIn) return;
  clearTimeout(booth.countingIn);
  booth.countingIn = null;
  $("countin").hidden = true;
  draw();
}

function preferredType() {
  for (const type of ["audio/webm;codecs=opus", "audio/ogg;codecs=opus", "audio/mp4", "audio/webm"]) {
    if (window.MediaRecorder && MediaRecorder.isTypeSupported(type)) return type;
  }
  return "";
}

async function toggleRecord() {
  if (booth.recording) { stopRecording(); return; }
  if (booth.countingIn) { cancelCountIn(); say("count-in cancelled"); return; }
  stopPlayback();
  let stream;
  try {
    stream = await microphone();
  } catch (error) {
    say(`no microphone: ${error.message}. Allow this page to use the microphone, then press R again`, "error");
    return;
  }
  if (booth.audio.state === "suspended") await booth.audio.resume();
  const key = booth.key;
  let beats = COUNT_IN_BEATS;
  const countin = $("countin");
  const step = () => {
    if (beats === 0) {
      booth.countingIn = null;
      countin.hidden = true;
      startRecording(stream, key);
      return;
    }
    countin.textContent = String(beats);
    countin.hidden = false;
    beep(beats === 1);
    beats -= 1;
    booth.countingIn = setTimeout(step, BEAT_SECONDS * 1000);
  };
  booth.countingIn = setTimeout(step, 0);
  say("get ready…");
  draw();
}

function startRecording(stream, key) {
  const version = booth.state.version;   // the script the take was recorded against
  const type = preferredType();
  const recorder = new MediaRecorder(stream, type ? { mimeType: type } : undefined);
  const chunks = [];
  recorder.ondataavailable = (event) => { if (event.data.size) chunks.push(event.data); };
  const started = performance.now();
  recorder.onstop = () => {
    const blob = new Blob(chunks, { type: recorder.mimeType || type });
    hold(key, blob, (performance.now() - started) / 1000, version);
  };
  recorder.start(250);
  const timer = setInterval(() => { $("rec-time").textContent = ((performance.now() - started) / 1000).toFixed(1); }, 100);
  booth.recording = { recorder, timer };
  $("recording").hidden = false;
  say("recording: say the sentence, then R to stop");
  draw();
}

function stopRecording() {
  const { recorder, timer } = booth.recording;
  booth.recording = null;
  clearInterval(timer);
  $("recording").hidden = true;
  recorder.stop();
  draw();
}

function hold(key, blob, seconds, version) {
  const old = booth.pending.get(key);
  if (old) URL.revokeObjectURL(old.url);
  booth.pending.set(key, { blob, url: URL.createObjectURL(blob), seconds, version });
  if (key === booth.key) say("");
  draw();
}
booth.takeRecorded = (blob, seconds) => hold(booth.key, blob, seconds, booth.state.version);

// -- playing -------------------------------------------------------------------------------

let playTimer = null;

function stopPlayback() {
  clearTimeout(playTimer);
  const player = $("player");
  player.pause();
  const clip = $("clip");
  clip.pause();
  clip.hidden = true;
  draw();
}

function showClip(url, muted) {
  const clip = $("clip");
  clip.muted = muted;
  clip.src = url;
  clip.hidden = false;
  $("still").hidden = true;
  clip.onended = () => { if ($("player").paused) stopPlayback(); };
  return clip.play();
}

async function playOver() {
  const segment = current();
  if (!segment) return;
  const pending = booth.pending.get(booth.key);
  const url = pending ? pending.url : segment.take && segment.take.url;
  if (!url) { say("no take to hear yet: record one (R)", "warn"); return; }
  stopPlayback();
  const player = $("player");
  player.src = url;
  player.onended = () => { if ($("clip").ended || $("clip").hidden) stopPlayback(); };
  if (segment.clip) {
    // The clip silent, the take where the voice starts in the step: as the lecture will have it.
    await showClip(segment.clip, true).catch(() => {});
    playTimer = setTimeout(() => player.play().catch(() => {}), segment.offset * 1000);
  } else {
    player.play().catch(() => {});
  }
  say(pending ? "your new take over the step (not saved yet)" : "the saved take over the step");
}

function playLecture() {
  const segment = current();
  if (!segment || !segment.clip) { say("this step is not rendered yet: it appears once its render finishes", "warn"); return; }
  stopPlayback();
  showClip(segment.clip, false).catch(() => {});
  say(segment.take && !(segment.voice && segment.voice.name === "recorded")
    ? "the step as rendered now (your newest take is still being rendered in)" : "the step as the lecture has it now");
}

async function playReference() {
  const segment = current();
  if (!segment) return;
  stopPlayback();
  say("the synthesized voice is saying it…");
  const response = await fetch(`/media/reference/${segment.slide}/${segment.index}`, { cache: "no-store" });
  if (!response.ok) {
    const body = await response.json().catch(() => ({}));
    say(body.error || `the reference voice is not available (${response.status})`, "error");
    return;
  }
  const player = $("player");
  player.src = URL.createObjectURL(await response.blob());
  player.onended = null;
  player.play().catch(() => {});
  say("the reference voice (what the synthesized voice says)");
}

// -- saving --------------------------------------------------------------------------------

async function post(url, body, type) {
  const response = await fetch(url, { method: "POST", body, headers: { "Content-Type": type } });
  const answer = await response.json().catch(() => ({ error: `the booth answered ${response.status}` }));
  return { status: response.status, ok: response.ok, ...answer };
}

async function accept() {
  const segment = current();
  const pending = booth.pending.get(booth.key);
  if (!segment || !pending) { say("record a take first (R); Enter then accepts it", "warn"); return; }
  if (booth.busy) return;
  booth.busy = true;
  const key = booth.key;
  say("saving the take…");
  draw();
  try {
    // The version the take was recorded against: a script changed on disk since is never
    // written over unseen; the lecturer checks the sentence, and Enter then accepts it.
    const query = `slide=${encodeURIComponent(segment.slide)}&index=${segment.index}&version=${pending.version}`;
    const answer = await post(`/api/take?${query}`, pending.blob, pending.blob.type || "application/octet-stream");
    if (answer.ok) {
      booth.pending.delete(key);
      URL.revokeObjectURL(pending.url);
      say(`saved as ${answer.take}; the slide re-renders in the background (→ for the next segment)`, "ok");
    } else if (answer.status === 409) {
      await refresh();
      pending.version = booth.state.version;
      say(`${answer.error}. Your take is still here: Enter accepts it`, "warn");
    } else {
      say(answer.error || "the take was not saved", "error");
    }
  } catch (error) {
    say(`the take was not sent (${error.message}); it is still here: Enter tries again`, "error");
  } finally {
    booth.busy = false;
    await refresh();
  }
}

async function keep() {
  const segment = current();
  if (!segment || !segment.take) return;
  const answer = await post("/api/keep", JSON.stringify({ slide: segment.slide, index: segment.index, version: booth.state.version }),
    "application/json");
  say(answer.ok ? "take kept for the new words" : answer.error, answer.ok ? "ok" : "error");
  await refresh();
}

// -- rewording -----------------------------------------------------------------------------

function openEditor() {
  const segment = current();
  if (!segment) return;
  $("template").value = segment.template;
  booth.editing = booth.state.version;    // the script the new words are written into
  showPlaceholders();
  $("editor").hidden = false;
  $("template").focus();
}

function closeEditor() {
  $("editor").hidden = true;
  if (document.activeElement === $("template")) $("template").blur();
}

function showPlaceholders() {
  const names = $("template").value.match(/\{[^{}]*\}/g) || [];
  const line = $("placeholders");
  line.textContent = names.length ? "placeholders, filled from the slide's numbers: " : "";
  for (const name of names) {
    const code = document.createElement("code");
    code.textContent = name;
    line.append(code);
  }
}

async function saveSay() {
  const segment = current();
  if (!segment) return;
  const answer = await post("/api/say", JSON.stringify({ slide: segment.slide, index: segment.index,
    version: booth.editing, say: $("template").value }), "application/json");
  if (!answer.ok) {
    await refresh();
    if (answer.status === 409) {
      booth.editing = booth.state.version;
      say(`${answer.error}. Your words are still in the editor: save again to write them`, "warn");
    } else {
      say(answer.error, "error");
    }
    return;
  }
  closeEditor();
  await refresh();
  say(segment.take ? "saved; the take is stale until you record again (R) or keep it (K)" : "saved", "ok");
  await playReference();
}

// -- keys and buttons ----------------------------------------------------------------------

const KEYS = {
  r: toggleRecord, R: toggleRecord, " ": playOver, Enter: accept, ArrowRight: () => move(1), PageDown: () => move(1),
  ArrowLeft: () => move(-1), PageUp: () => move(-1), v: playReference, V: playReference, l: playLecture,
  L: playLecture, e: openEditor, E: openEditor, k: keep, K: keep, Escape: stopPlayback,
};

document.addEventListener("keydown", (event) => {
  if (event.target === $("template")) {
    if (event.key === "Escape") { event.preventDefault(); closeEditor(); }
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) { event.preventDefault(); saveSay(); }
    return;
  }
  const action = KEYS[event.key];
  if (!action || event.ctrlKey || event.metaKey || event.altKey || event.repeat) return;
  event.preventDefault();   // Space would scroll, Enter would press the focused button
  action();
});

const BUTTONS = { prev: () => move(-1), next: () => move(1), record: toggleRecord, play: playOver, accept,
  reference: playReference, lecture: playLecture, reword: openEditor, keep, "save-say": saveSay, "cancel-say": closeEditor };
for (const [id, action] of Object.entries(BUTTONS)) {
  $(id).addEventListener("click", (event) => { event.currentTarget.blur(); action(); });
}
$("template").addEventListener("input", showPlaceholders);

window.addEventListener("beforeunload", (event) => {
  if (booth.pending.size || booth.recording) event.preventDefault();   // a take not accepted would be lost
});

refresh();
setInterval(refresh, 1000);
