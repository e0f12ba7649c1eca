/* The check-in door: keeps the code field ready for the next scan (a keyboard-wedge scanner types the
   code and presses Enter), and, where the browser has a BarcodeDetector and a camera, reads the
   ticket's QR code from the camera. Everything here is an enhancement: the form works without it. */
(function () {
  "use strict";

  var stream = null;
  var timer = null;

  function field() {
    return document.getElementById("checkin-code");
  }

  function ready() {
    var input = field();
    if (input) {
      input.value = "";
      input.focus();
    }
  }

  function stopCamera() {
    if (timer) {
      window.clearInterval(timer);
      timer = null;
    }
    if (stream) {
      stream.getTracks().forEach(function (track) { track.stop(); });
      stream = null;
    }
    var box = document.getElementById("checkin-camera-box");
    if (box) box.hidden = true;
  }

  function submitCode(code) {
    var form = document.getElementById("checkin-form");
    var input = field();
    if (!form || !input) return;
    input.value = code;
    if (form.requestSubmit) {
      form.requestSubmit();
    } else {
      form.submit();
    }
  }

  function startCamera() {
    var video = document.getElementById("checkin-video");
    var box = document.getElementById("checkin-camera-box");
    var error = document.getElementById("checkin-camera-error");
    if (!video || !box) return;
    var detector;
    try {
      detector = new window.BarcodeDetector({ formats: ["qr_code"] });
    } catch (e) {
      if (error) error.hidden = false;
      return;
    }
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false })
      .then(function (media) {
        stream = media;
        video.srcObject = media;
        box.hidden = false;
        if (error) error.hidden = true;
        return video.play();
      })
      .then(function () {
        var busy = false;
        timer = window.setInterval(function () {
          if (busy || !stream) return;
          busy = true;
          detector.detect(video).then(function (codes) {
            busy = false;
            if (codes.length && codes[0].rawValue) {
              var code = codes[0].rawValue;
              stopCamera();
              submitCode(code);
            }
          }).catch(function () { busy = false; });
        }, 250);
      })
      .catch(function () {
        stopCamera();
        if (error) error.hidden = false;
      });
  }

  function setup() {
    var button = document.getElementById("checkin-camera");
    var stop = document.getElementById("checkin-camera-stop");
    var supported = "BarcodeDetector" in window && navigator.mediaDevices &&
      typeof navigator.mediaDevices.getUserMedia === "function";
    if (button && supported) {
      button.hidden = false;
      button.addEventListener("click", startCamera);
    }
    if (stop) stop.addEventListener("click", function () { stopCamera(); ready(); });
    document.body.addEventListener("htmx:afterSwap", function (event) {
      if (event.detail && event.detail.target && event.detail.target.id === "checkin-panel") ready();
    });
    ready();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
