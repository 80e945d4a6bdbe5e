"use strict";
// The office works in Beijing time, whatever the browser's time zone: the
// date and time widgets' "Today" and "Now" already give the server's (Beijing)
// time, so the admin's warning that the browser is some hours ahead or behind
// only confuses staff in Tokyo. Removed before the widgets are set up (on load).
document.addEventListener("DOMContentLoaded", () => {
  if (window.DateTimeShortcuts) {
    window.DateTimeShortcuts.addTimezoneWarning = () => {};
  }
});
