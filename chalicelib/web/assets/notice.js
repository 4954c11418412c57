/* The poster's notice: sends a re-posting request (its evidence files uploaded first) or an
   appeal as JSON with the notice token from the page, shows refused fields next to their inputs,
   then shows the notice again. Without this script both forms still post, without files. */
(function () {
  "use strict";

  var F = window.IrcForms;
  var config = F && F.readConfig("notice-config");
  var refresh = document.getElementById("notice-refresh");
  if (!config || !refresh) {
    return;
  }
  var M = config.messages;

  // The notice comes back from the server with what was just sent, as after opening the link.
  function showUpdatedNotice(kind) {
    refresh.elements.namedItem("sent").value = kind;
    refresh.submit();
  }

  /* One form: its statement with a counter, optional files, and sending it as JSON. */
  function wire(form, url, kind, bodyOf, files) {
    var statement = form.querySelector("textarea[name=statement]");
    var counter = document.getElementById(statement.id + "-count");
    var submitButton = form.querySelector("button[type=submit]");
    var submitStatus = form.querySelector(".submit-status");
    var errors = new F.ErrorDisplay(form, config, form.querySelector(".error-summary"));
    var sentFiles = [];
    var submitting = false;
    var keys = new F.KeyForBody();

    function syncCounter() {
      counter.textContent = F.fmt(M.counter, { n: statement.value.length, max: config.limits.max });
    }

    function setBusy(busy, text) {
      submitting = busy;
      submitButton.disabled = busy;
      form.setAttribute("aria-busy", busy ? "true" : "false");
      submitStatus.textContent = text || "";
    }

    function markFileItem(path, message) {
      var match = /^evidence\[(\d+)\]$/.exec(path);
      F.markItem(match ? sentFiles[Number(match[1])] : null, message);
    }

    function send(event) {
      event.preventDefault();
      if (submitting) {
        return;
      }
      errors.clear();
      var pending = [];
      if (files) {
        files.unmark();
        pending = files.pending();
      }
      setBusy(true, pending.length ? M.waiting_uploads : M.submitting);
      Promise.all(pending)
        .then(function () {
          setBusy(true, M.submitting);
          sentFiles = files ? files.uploaded() : [];
          var body = JSON.stringify(bodyOf(statement.value.trim(), sentFiles));
          return fetch(url, {
            method: "POST",
            headers: {
              "Content-Type": "application/json",
              Accept: "application/json, application/problem+json",
              "X-Notice-Token": form.elements.namedItem("notice_token").value,
              "Idempotency-Key": keys.keyFor(body),
            },
            credentials: "same-origin",
            body: body,
          });
        })
        .then(function (response) {
          return response.json().catch(function () { return null; }).then(function (payload) {
            if (response.status === 201 && payload && payload.case_id) {
              setBusy(true, M.sent);
              showUpdatedNotice(kind);
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

    statement.addEventListener("input", syncCounter);
    form.addEventListener("submit", send);
    syncCounter();
  }

  var reposting = document.getElementById("reposting-form");
  if (reposting) {
    var evidenceInput = document.getElementById("reposting-evidence");
    var evidenceFiles = new F.FileList(
      config, evidenceInput, document.getElementById("reposting-evidence-list"), config.maxFiles
    );
    reposting.addEventListener("change", function (event) {
      if (event.target === evidenceInput) {
        evidenceFiles.add(evidenceInput.files);
      }
    });
    document.getElementById("reposting-files").hidden = false;
    wire(reposting, config.repostingUrl, "reposting", function (statement, files) {
      return {
        statement: statement,
        evidence: files.map(function (item) { return item.uploadId; }),
      };
    }, evidenceFiles);
  }

  Array.prototype.forEach.call(document.querySelectorAll(".appeal-form"), function (form) {
    var measureId = form.elements.namedItem("measure_id").value;
    wire(form, config.appealsUrl, "appeal", function (statement) {
      return { measure_id: measureId, statement: statement };
    }, null);
  });
})();
