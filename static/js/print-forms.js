// The print button of the printed forms (no inline scripts: the CSP forbids them).
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) window.print();
});
