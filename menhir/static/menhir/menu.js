// The menu button of narrow screens: the menu is folded until asked for (without JavaScript
// the menu simply stays open, as on a wide screen).
(function () {
  const button = document.querySelector(".menu-toggle");
  const topbar = document.querySelector(".topbar");
  if (!button || !topbar) return;
  topbar.classList.add("menu-folded");
  button.addEventListener("click", function () {
    const open = topbar.classList.toggle("menu-open");
    button.setAttribute("aria-expanded", open ? "true" : "false");
  });
})();
