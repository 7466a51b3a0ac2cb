// manualkit serve: say what was chosen before uploading, and refuse an upload over the limits at once.
// The page works without this script; the server checks the same limits.
"use strict";
(function () {
  function size(bytes) {
    if (bytes < 1048576) { return Math.max(1, Math.round(bytes / 1024)) + " KB"; }
    return (bytes / 1048576).toFixed(1).replace(/\.0$/, "") + " MB";
  }
  function chosen(form) {
    var files = [];
    form.querySelectorAll("input[type=file]").forEach(function (input) {
      files = files.concat(Array.prototype.slice.call(input.files));
    });
    return files;
  }
  // Return what is wrong with the chosen files (null when nothing), as the server would say it.
  function problem(form, files, total) {
    var maxFiles = +form.dataset.maxFiles, maxFile = +form.dataset.maxFile, maxTotal = +form.dataset.maxTotal;
    var big = files.filter(function (file) { return file.size > maxFile; });
    if (files.length > maxFiles) {
      return "一次最多上传 " + maxFiles + " 个文件，已选择 " + files.length + " 个。请分几次上传。";
    }
    if (big.length) {
      return "“" + big[0].name + "”（" + size(big[0].size) + "）超过了每个文件 " + size(maxFile) + " 的上限。";
    }
    if (total > maxTotal) {
      return "已选择的文件共 " + size(total) + "，超过了一次 " + size(maxTotal) + " 的上限。请分几次上传。";
    }
    return null;
  }
  document.querySelectorAll("form[data-upload]").forEach(function (form) {
    var shown = form.querySelector("[data-chosen]"), button = form.querySelector("button[type=submit]");
    var label = button.textContent;
    function update() {
      var files = chosen(form), total = files.reduce(function (sum, file) { return sum + file.size; }, 0);
      var wrong = problem(form, files, total);
      shown.textContent = wrong || (files.length ? "已选择 " + files.length + " 个文件，共 " + size(total) : "尚未选择文件");
      shown.classList.toggle("too-much", Boolean(wrong));
      button.disabled = Boolean(wrong);
      button.textContent = label;
      return !wrong;
    }
    form.addEventListener("change", update);
    window.addEventListener("pageshow", update);  // coming back to the page: the button works again
    form.querySelectorAll(".drop").forEach(function (drop) {
      drop.addEventListener("dragenter", function () { drop.classList.add("over"); });
      ["dragleave", "drop"].forEach(function (name) {
        drop.addEventListener(name, function () { drop.classList.remove("over"); });
      });
    });
    form.addEventListener("submit", function (event) {
      if (!update()) { event.preventDefault(); return; }
      setTimeout(function () { button.disabled = true; button.textContent = "正在上传…"; }, 0);
    });
  });
})();
