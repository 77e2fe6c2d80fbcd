// "All items of this program" on the screening form. Without JavaScript the box is sent as
// `programs` and the server adds the program's items; with it, the box also ticks and unticks the
// items below it, and shows itself ticked when all of them are.
document.addEventListener("DOMContentLoaded", () => {
  for (const group of document.querySelectorAll("fieldset.program-items")) {
    const all = group.querySelector('input[name="programs"]');
    const items = [...group.querySelectorAll('input[name="items"]')];
    all.addEventListener("change", () => { for (const box of items) box.checked = all.checked; });
    for (const box of items) {
      box.addEventListener("change", () => { all.checked = items.every((b) => b.checked); });
    }
  }
});
