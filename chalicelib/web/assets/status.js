/* The status page: answers a request for information with a statement and new evidence files,
   then shows the case again. Reading the status and withdrawing work without this script. */
(function () {
  "use strict";

  var F = window.IrcForms;
  var form = document.getElementById("answer-form");
  var refresh = document.getElementById("status-refresh");
  var config = F && F.readConfig("answer-config");
  if (!form || !refresh || !config) {
    return;
  }
  var M = config.messages;

  var statement = document.getElementById("answer-statement");
  var counter = document.getElementById("answer-statement-count");
  var submitButton = document.getElementById("submit-answer");
  var submitStatus = document.getElementById("answer-submit-status");
  var evidenceInput = document.getElementById("answer-evidence");
  var evidenceFiles = new F.FileList(
    config, evidenceInput, document.getElementById("answer-evidence-list"), config.maxFiles
  );
  var errors = new F.ErrorDisplay(form, config, document.getElementById("answer-error-summary"));
  var sentEvidence = [];
  var submitting = false;
  var keys = new F.KeyForBody();

  function syncCounter() {
    counter.textContent = F.fmt(M.counter, {
      n: statement.value.length,
      max: config.limits.max,
    });
  }

  function setBusy(busy, text) {
    submitting = busy;
    submitButton.disabled = busy;
    form.setAttribute("aria-busy", busy ? "true" : "false");
    submitStatus.textContent = text || "";
  }

  function markFileItem(path, message) {
    var match = /^evidence\[(\d+)\]$/.exec(path);
    F.markItem(match ? sentEvidence[Number(match[1])] : null, message);
  }

  function field(name) {
    return refresh.elements.namedItem(name);
  }

  // The page comes back from the server with the new status, as after "Check".
  function showUpdatedStatus() {
    field("answered").value = "1";
    refresh.submit();
  }

  function submitAnswer(event) {
    event.preventDefault();
    if (submitting) {
      return;
    }
    errors.clear();
    evidenceFiles.unmark();
    var pending = evidenceFiles.pending();
    setBusy(true, pending.length ? M.waiting_uploads : M.submitting);
    Promise.all(pending)
      .then(function () {
        setBusy(true, M.submitting);
        sentEvidence = evidenceFiles.uploaded();
        var body = JSON.stringify({
          statement: statement.value.trim(),
          evidence: sentEvidence.map(function (item) { return item.uploadId; }),
        });
        return fetch(config.informationUrl, {
          method: "POST",
          headers: {
            "Content-Type": "application/json",
            Accept: "application/json, application/problem+json",
            "X-Receipt-Token": field("receipt_token").value,
            "Idempotency-Key": keys.keyFor(body),
          },
          credentials: "same-origin",
          body: body,
        });
      })
      .then(function (response) {
        return response.json().catch(function () { return null; }).then(function (payload) {
          if (response.ok && payload && payload.status) {
            setBusy(true, M.answer_sent);
            showUpdatedStatus();
            return;
          }
          setBusy(false);
          errors.show(payload, response.status, markFileItem);
        });
      })
      .catch(function () {
        setBusy(false);
        errors.general(M.network_error);
      });
  }

  form.addEventListener("change", function (event) {
    if (event.target === evidenceInput) {
      evidenceFiles.add(evidenceInput.files);
    }
  });
  statement.addEventListener("input", syncCounter);
  form.addEventListener("submit", submitAnswer);

  syncCounter();
  submitButton.disabled = false;
})();
