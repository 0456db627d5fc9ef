// Polls a board pack's build and shows its progress; reloads the page when it is ready
// or has failed, so the server renders the downloads or the error. Without JavaScript the
// page offers a link to check again.
const box = document.getElementById("pack-progress");

function show(state) {
  const status = document.getElementById("pack-status");
  const bar = document.getElementById("pack-bar");
  if (bar) bar.value = state.progress;
  status.textContent = `Building the pack: ${state.progress}% done. ${state.step}`;
}

async function poll() {
  try {
    const response = await fetch(box.dataset.statusUrl, {
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    });
    if (response.ok) {
      const state = await response.json();
      if (state.status === "done" || state.status === "failed") {
        window.location.replace(state.url);
        return;
      }
      show(state);
    }
  } catch {
    // A lost connection: keep trying.
  }
  setTimeout(poll, 1000);
}

if (box && box.dataset.status !== "done" && box.dataset.status !== "failed") {
  setTimeout(poll, 500);
}
