/* The report form: uploads each evidence file with a progress bar, submits the report as JSON,
   shows every refused field next to its input, and shows the receipt once: saved as a file,
   printed or its token copied before the page may be left without a warning. */
(function () {
  "use strict";

  var F = window.IrcForms;
  var form = document.getElementById("report-form");
  var config = F && F.readConfig("messages");
  if (!form || !config) {
    return;
  }
  var M = config.messages;
  var limits = config.limits;

  var submitButton = document.getElementById("submit-report");
  var submitStatus = document.getElementById("submit-status");
  var agentFields = document.getElementById("agent-fields");
  var ipField = document.getElementById("ip-right-field");
  var ipGround = document.getElementById("ground-intellectual_property");
  var agentChoice = document.getElementById("relationship-agent");
  var statement = document.getElementById("statement");
  var counter = document.getElementById("statement-count");
  var evidenceInput = document.getElementById("evidence");
  var attorneyInput = document.getElementById("power-of-attorney");

  var evidenceFiles = new F.FileList(
    config, evidenceInput, document.getElementById("evidence-list"), config.maxFiles
  );
  var attorneyFiles = new F.FileList(
    config, attorneyInput, document.getElementById("power-of-attorney-list"), 1
  );
  var errors = new F.ErrorDisplay(form, config, document.getElementById("error-summary"));
  var sentEvidence = [];
  var idempotencyKey = null;
  var submitting = false;

  /* Conditional fields */

  function syncConditionalFields() {
    agentFields.hidden = !agentChoice.checked;
    ipField.hidden = !ipGround.checked;
  }

  /* The target: the address or the in-app reference, as the chosen surface asks for them */

  var targetFields = document.getElementById("target-fields");
  var urlField = document.getElementById("target-url-field");
  var refField = document.getElementById("target-ref-field");
  var urlInput = document.getElementById("target-url");
  var completed = new RegExp(config.completedAddress, "i");

  function syncTarget() {
    var first = config.targets[checkedValue("target.surface")] || "url";
    var words = config.targetWords;
    document.getElementById("target-url-label").textContent = words.target_url_label[first];
    document.getElementById("target-url-hint").textContent = words.target_url_hint[first];
    document.getElementById("target-ref-hint").textContent = words.target_ref_hint[first];
    targetFields.setAttribute("data-first", first);
    var lead = first === "content_ref" ? refField : urlField;
    if (targetFields.firstElementChild !== lead) {
      targetFields.insertBefore(lead, targetFields.firstElementChild);
    }
  }

  // The address is completed as the API completes it, when the person leaves the field.
  function completeAddress() {
    var value = urlInput.value.trim();
    if (value && completed.test(value)) {
      urlInput.value = "https://" + value;
    }
  }

  function syncCounter() {
    counter.textContent = F.fmt(M.counter, { n: statement.value.length, max: limits.max });
  }

  /* Errors */

  function markFileItem(path, message) {
    var match = /^evidence\[(\d+)\]$/.exec(path);
    var item = match ? sentEvidence[Number(match[1])] : null;
    if (path === "power_of_attorney") {
      item = attorneyFiles.uploaded()[0] || null;
    }
    F.markItem(item, message);
  }

  function clearErrors() {
    errors.clear();
    evidenceFiles.unmark();
    attorneyFiles.unmark();
  }

  /* Submission */

  function valueOf(name) {
    var control = form.elements.namedItem(name);
    if (!control) {
      return "";
    }
    return String(control.value || "").trim();
  }

  function checkedValue(name) {
    var chosen = form.querySelector('input[name="' + name + '"]:checked');
    return chosen ? chosen.value : "";
  }

  function setIfPresent(target, key, value) {
    if (value) {
      target[key] = value;
    }
  }

  function reportBody() {
    var claimant = {};
    setIfPresent(claimant, "name", valueOf("claimant.name"));
    setIfPresent(claimant, "email", valueOf("claimant.email"));
    setIfPresent(claimant, "phone", valueOf("claimant.phone"));
    setIfPresent(claimant, "relationship", checkedValue("claimant.relationship"));
    var isAgent = claimant.relationship === "agent";
    if (isAgent) {
      setIfPresent(claimant, "principal_name", valueOf("claimant.principal_name"));
    }
    var target = {};
    setIfPresent(target, "surface", checkedValue("target.surface"));
    setIfPresent(target, "url", valueOf("target.url"));
    setIfPresent(target, "content_ref", valueOf("target.content_ref"));
    setIfPresent(target, "description", valueOf("target.description"));

    var grounds = Array.prototype.map.call(
      form.querySelectorAll('input[name="grounds"]:checked'),
      function (box) { return box.value; }
    );
    sentEvidence = evidenceFiles.uploaded();

    var body = { claimant: claimant, target: target, grounds: grounds };
    if (grounds.indexOf("intellectual_property") >= 0) {
      setIfPresent(body, "ip_right", valueOf("ip_right"));
    }
    setIfPresent(body, "requested_action", checkedValue("requested_action"));
    setIfPresent(body, "statement", statement.value.trim());
    body.evidence = sentEvidence.map(function (item) { return item.uploadId; });
    if (isAgent) {
      var attorney = attorneyFiles.uploaded()[0];
      if (attorney) {
        body.power_of_attorney = attorney.uploadId;
      }
    }
    body.declaration = document.getElementById("declaration").checked;
    body.lang = config.lang;
    return body;
  }

  function setBusy(busy, text) {
    submitting = busy;
    submitButton.disabled = busy;
    form.setAttribute("aria-busy", busy ? "true" : "false");
    submitStatus.textContent = text || "";
  }

  function pendingUploads() {
    return evidenceFiles.pending().concat(attorneyFiles.pending());
  }

  function submitReport(event) {
    event.preventDefault();
    if (submitting) {
      return;
    }
    clearErrors();
    completeAddress();
    var pending = pendingUploads();
    setBusy(true, pending.length ? M.waiting_uploads : M.submitting);
    Promise.all(pending)
      .then(function () {
        setBusy(true, M.submitting);
        var body = reportBody();
        // One key per filled form, kept for retries, so that a retry never opens a second case.
        idempotencyKey = idempotencyKey || F.newIdempotencyKey();
        return fetch(config.reportsUrl, {
          method: "POST",
          headers: {
            "Content-Type": "application/json",
            Accept: "application/json, application/problem+json",
            "Idempotency-Key": idempotencyKey,
          },
          credentials: "same-origin",
          body: JSON.stringify(body),
        });
      })
      .then(function (response) {
        return response.json().catch(function () { return null; }).then(function (payload) {
          if (response.status === 201 && payload && payload.receipt_token) {
            showReceipt(payload);
            return;
          }
          setBusy(false);
          if (response.status === 429) {
            errors.general(F.retryMessage(config, response, M.limit_reports), M.not_sent_title);
            return;
          }
          if (response.status === 403 && payload && payload.code === "claimant_suspended") {
            var until = F.humanMoment(config, payload.suspended_until);
            errors.general(F.fmt(config.suspendedMessage, { ends_at: until }), M.not_sent_title);
            return;
          }
          errors.show(payload, response.status, markFileItem);
        });
      })
      .catch(function () {
        setBusy(false);
        errors.general(M.network_error, M.not_sent_title);
      });
  }

  /* Receipt */

  var R = config.receipt;
  var shown = null;  // the receipt on the page, once the report is received
  var kept = false;  // saved, printed or its token copied
  var leaving = false;  // the claimant confirmed leaving through a link

  function showReceipt(receipt) {
    var address = F.fmt(config.statusAddress, { case_id: encodeURIComponent(receipt.case_id) });
    shown = {
      case_id: receipt.case_id,
      receipt_token: receipt.receipt_token,
      received_at: F.humanMoment(config, receipt.received_at),
      status_url: address,
    };
    document.getElementById("receipt-case-id").textContent = receipt.case_id;
    document.getElementById("receipt-token").textContent = receipt.receipt_token;
    var received = document.getElementById("receipt-received-at");
    received.setAttribute("datetime", receipt.received_at);
    received.textContent = shown.received_at;
    document.getElementById("receipt-status-address").textContent = address;
    document.getElementById("receipt-no-mail").hidden = receipt.acknowledgement_mailed !== false;
    var link = document.getElementById("receipt-status-link");
    link.href = address + "?lang=" + encodeURIComponent(config.lang);
    form.remove();
    document.getElementById("report-intro").hidden = true;
    var section = document.getElementById("receipt");
    section.hidden = false;
    window.addEventListener("beforeunload", warnBeforeLeaving);
    document.addEventListener("click", confirmLeavingLink);
    document.addEventListener("click", followCase);
    window.scrollTo(0, 0);
    document.getElementById("receipt-title").focus();
  }

  function markKept(message) {
    kept = true;
    document.getElementById("copy-status").textContent = message;
  }

  function warnBeforeLeaving(event) {
    if (!shown || kept || leaving) {
      return undefined;
    }
    event.preventDefault();
    event.returnValue = R.receipt_leave_warning;
    return R.receipt_leave_warning;
  }

  /* A link that leaves the page asks in the reader's words; the browser's own warning is for the
     rest (reload, Back, closing). */
  function confirmLeavingLink(event) {
    var link = event.target.closest ? event.target.closest("a[href]") : null;
    var inPage = link && link.getAttribute("href").charAt(0) === "#";
    if (!link || inPage || !shown || kept || link.hasAttribute("download")) {
      return;
    }
    if (window.confirm(R.receipt_leave_warning)) {
      leaving = true;
    } else {
      event.preventDefault();
    }
  }

  /* Following the case proves it with the receipt (a post, never the token in an address), so
     this browser is brought to the case's status address and remembers it there. */
  function followCase(event) {
    var link = event.target.closest ? event.target.closest("#receipt-status-link") : null;
    if (!link || !shown || event.defaultPrevented) {
      return;
    }
    event.preventDefault();
    leaving = true;
    var post = document.createElement("form");
    post.method = "post";
    post.action = config.statusUrl;
    post.hidden = true;
    [["lang", config.lang], ["case_id", shown.case_id], ["receipt_token", shown.receipt_token]]
      .forEach(function (pair) {
        var field = document.createElement("input");
        field.type = "hidden";
        field.name = pair[0];
        field.value = pair[1];
        post.appendChild(field);
      });
    document.body.appendChild(post);
    post.submit();
  }

  function saveReceipt() {
    var text = F.fmt(R.receipt_file, shown);
    var file = new Blob([text], { type: "text/plain;charset=utf-8" });
    var address = URL.createObjectURL(file);
    var download = document.createElement("a");
    download.href = address;
    download.download = F.fmt(R.receipt_file_name, { case_id: shown.case_id });
    download.hidden = true;
    document.body.appendChild(download);
    download.click();
    download.remove();
    window.setTimeout(function () { URL.revokeObjectURL(address); }, 60000);
    markKept(R.receipt_saved);
  }

  function printReceipt() {
    window.print();
    markKept(R.receipt_printed);
  }

  function copyValue(button) {
    var source = document.getElementById(button.getAttribute("data-copy"));
    var status = document.getElementById("copy-status");
    var text = source.textContent;
    var isToken = source.id === "receipt-token";
    var done = function () {
      if (isToken) {
        markKept(M.copied);
      } else {
        status.textContent = M.copied;
      }
    };
    var failed = function () {
      var range = document.createRange();
      range.selectNodeContents(source);
      var selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      status.textContent = M.copy_failed;
    };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(done, failed);
    } else {
      failed();
    }
  }

  /* Wiring */

  form.addEventListener("change", function (event) {
    var target = event.target;
    if (target === evidenceInput) {
      evidenceFiles.add(target.files);
    } else if (target === attorneyInput) {
      // One power of attorney: a new pick replaces the one before.
      attorneyFiles.clear();
      attorneyFiles.add(target.files);
    }
    syncConditionalFields();
    syncTarget();
  });
  urlInput.addEventListener("blur", completeAddress);
  statement.addEventListener("input", syncCounter);
  form.addEventListener("submit", submitReport);
  document.getElementById("receipt-save").addEventListener("click", saveReceipt);
  document.getElementById("receipt-print").addEventListener("click", printReceipt);
  Array.prototype.forEach.call(document.querySelectorAll("[data-copy]"), function (button) {
    button.addEventListener("click", function () { copyValue(button); });
  });

  syncConditionalFields();
  syncTarget();
  syncCounter();
  submitButton.disabled = false;
})();
