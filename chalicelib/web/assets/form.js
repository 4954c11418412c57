/* The report form: uploads each evidence file with a progress bar, submits the report as JSON,
   shows every refused field next to its input, and shows the receipt once. */
(function () {
  "use strict";

  var form = document.getElementById("report-form");
  var configBlock = document.getElementById("messages");
  if (!form || !configBlock) {
    return;
  }
  var config = JSON.parse(configBlock.textContent);
  var M = config.messages;
  var limits = config.limits;

  var summary = document.getElementById("error-summary");
  var summaryDetail = document.getElementById("error-summary-detail");
  var summaryList = document.getElementById("error-summary-list");
  var submitButton = document.getElementById("submit-report");
  var submitStatus = document.getElementById("submit-status");
  var agentFields = document.getElementById("agent-fields");
  var ipField = document.getElementById("ip-right-field");
  var ipGround = document.getElementById("ground-intellectual_property");
  var agentChoice = document.getElementById("relationship-agent");
  var statement = document.getElementById("statement");
  var counter = document.getElementById("statement-count");

  var evidenceFiles = [];
  var attorneyFiles = [];
  var sentEvidence = [];
  var idempotencyKey = null;
  var submitting = false;
  var nextItemId = 0;

  function fmt(template, values) {
    return String(template).replace(/\{(\w+)\}/g, function (whole, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : whole;
    });
  }

  function withLimits(extra) {
    var values = {};
    Object.keys(limits).forEach(function (key) { values[key] = limits[key]; });
    Object.keys(extra || {}).forEach(function (key) { values[key] = extra[key]; });
    return values;
  }

  function humanSize(bytes) {
    var units = config.sizeUnits;
    if (bytes < 1024) {
      return fmt(units[0], { n: bytes });
    }
    if (bytes < 1024 * 1024) {
      return fmt(units[1], { n: Math.round(bytes / 1024) });
    }
    return fmt(units[2], { n: (bytes / (1024 * 1024)).toFixed(1) });
  }

  function humanMoment(isoText) {
    var moment = new Date(isoText);
    if (isNaN(moment.getTime())) {
      return isoText;
    }
    var shifted = new Date(moment.getTime() + config.utcOffsetHours * 3600 * 1000);
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    return fmt(config.dateFormat, {
      year: shifted.getUTCFullYear(),
      month_name: config.monthNames[shifted.getUTCMonth()],
      day: shifted.getUTCDate(),
      hh: pad(shifted.getUTCHours()),
      mm: pad(shifted.getUTCMinutes()),
    });
  }

  function newIdempotencyKey() {
    if (window.crypto && typeof window.crypto.randomUUID === "function") {
      return window.crypto.randomUUID();
    }
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) {
      return (b < 16 ? "0" : "") + b.toString(16);
    }).join("");
  }

  /* Conditional fields */

  function syncConditionalFields() {
    agentFields.hidden = !agentChoice.checked;
    ipField.hidden = !ipGround.checked;
  }

  function syncCounter() {
    counter.textContent = fmt(M.counter, { n: statement.value.length, max: limits.max });
  }

  /* Files */

  function contentTypeOf(file) {
    var declared = (file.type || "").split(";")[0].trim().toLowerCase();
    if (declared === "image/jpg" || declared === "image/pjpeg") {
      declared = "image/jpeg";
    }
    if (declared) {
      return declared;
    }
    var dot = file.name.lastIndexOf(".");
    var extension = dot >= 0 ? file.name.slice(dot + 1).toLowerCase() : "";
    return config.extensionTypes[extension] || "";
  }

  function refusal(file, contentType, countSoFar, maxCount) {
    if (countSoFar >= maxCount) {
      return fmt(M.refused_count, withLimits({ max_files: maxCount }));
    }
    if (config.allowedTypes.indexOf(contentType) < 0) {
      return fmt(M.refused_type, withLimits());
    }
    if (file.size > config.maxBytes) {
      return fmt(M.refused_size, withLimits());
    }
    if (file.size === 0) {
      return M.refused_empty;
    }
    return null;
  }

  function renderItem(item, list) {
    var row = document.createElement("li");
    row.className = "file-item";
    var nameId = "file-" + item.id + "-name";

    var head = document.createElement("div");
    head.className = "file-head";
    var name = document.createElement("span");
    name.className = "file-name";
    name.id = nameId;
    name.textContent = item.file.name;
    var size = document.createElement("span");
    size.className = "file-size";
    size.textContent = humanSize(item.file.size);
    var remove = document.createElement("button");
    remove.type = "button";
    remove.className = "link-button";
    remove.textContent = M.remove;
    remove.setAttribute("aria-label", fmt(M.remove_named, { name: item.file.name }));
    head.appendChild(name);
    head.appendChild(size);
    head.appendChild(remove);

    var progress = document.createElement("progress");
    progress.max = 100;
    progress.value = 0;
    progress.setAttribute("aria-labelledby", nameId);

    var status = document.createElement("p");
    status.className = "file-status";

    row.appendChild(head);
    row.appendChild(progress);
    row.appendChild(status);
    list.appendChild(row);

    item.row = row;
    item.progress = progress;
    item.statusText = status;
    item.removeButton = remove;
  }

  function setItemState(item, state, message) {
    item.state = state;
    item.row.className = "file-item file-" + state;
    item.statusText.textContent = message;
    item.progress.hidden = state === "refused";
    if (state === "uploaded") {
      item.progress.value = item.progress.max;
    }
  }

  function postToStorage(item, grant) {
    return new Promise(function (resolve, reject) {
      var data = new FormData();
      Object.keys(grant.fields).forEach(function (key) {
        data.append(key, grant.fields[key]);
      });
      data.append("file", item.file);
      var xhr = new XMLHttpRequest();
      item.xhr = xhr;
      xhr.open("POST", grant.url);
      xhr.upload.onprogress = function (event) {
        if (event.lengthComputable) {
          item.progress.max = event.total;
          item.progress.value = event.loaded;
        }
      };
      xhr.onload = function () {
        if (xhr.status >= 200 && xhr.status < 300) {
          resolve();
        } else {
          reject(new Error("storage answered " + xhr.status));
        }
      };
      xhr.onerror = function () { reject(new Error("network")); };
      xhr.onabort = function () { reject(new Error("aborted")); };
      xhr.send(data);
    });
  }

  function upload(item) {
    setItemState(item, "uploading", M.uploading);
    return fetch(config.uploadsUrl, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      credentials: "same-origin",
      body: JSON.stringify({
        filename: item.file.name,
        content_type: item.contentType,
        size: item.file.size,
      }),
    })
      .then(function (response) {
        return response.json().catch(function () { return null; }).then(function (body) {
          if (!response.ok || !body) {
            var first = body && body.errors && body.errors[0];
            throw { userMessage: first ? localize(first) : M.upload_failed };
          }
          return body;
        });
      })
      .then(function (grant) {
        if (item.removed) {
          throw { userMessage: null };
        }
        return postToStorage(item, grant).then(function () {
          item.uploadId = grant.upload_id;
          setItemState(item, "uploaded", M.uploaded);
        });
      })
      .catch(function (error) {
        if (!item.removed) {
          setItemState(item, "failed", (error && error.userMessage) || M.upload_failed);
        }
      });
  }

  function addFiles(fileList, items, list, maxCount, input) {
    Array.prototype.forEach.call(fileList, function (file) {
      var item = { id: nextItemId++, file: file, contentType: contentTypeOf(file), items: items };
      var accepted = items.filter(function (i) { return i.state !== "refused"; }).length;
      var refused = refusal(file, item.contentType, accepted, maxCount);
      items.push(item);
      renderItem(item, list);
      item.removeButton.addEventListener("click", function () {
        removeItem(item, input);
      });
      if (refused) {
        setItemState(item, "refused", refused);
      } else {
        item.done = upload(item);
      }
    });
    // Let the same file be chosen again after it was removed.
    input.value = "";
  }

  function removeItem(item, input) {
    item.removed = true;
    if (item.xhr && item.state === "uploading") {
      item.xhr.abort();
    }
    var index = item.items.indexOf(item);
    if (index >= 0) {
      item.items.splice(index, 1);
    }
    item.row.remove();
    input.focus();
  }

  /* Errors */

  function baseField(path) {
    return String(path || "").replace(/\[\d+\]$/, "");
  }

  function localize(error) {
    var base = baseField(error.field);
    var text = M.errors[base + "|" + error.code] || M.errors[error.code];
    if (!text) {
      text = String(error.message || "");
      text = text.charAt(0).toUpperCase() + text.slice(1);
    }
    return fmt(text, withLimits());
  }

  function fieldContainer(path) {
    var base = baseField(path);
    var containers = form.querySelectorAll("[data-field]");
    for (var i = 0; i < containers.length; i++) {
      if (containers[i].getAttribute("data-field") === base && !isHidden(containers[i])) {
        return containers[i];
      }
    }
    return null;
  }

  function isHidden(element) {
    for (var node = element; node && node !== form; node = node.parentElement) {
      if (node.hidden) {
        return true;
      }
    }
    return false;
  }

  function controlsOf(container) {
    return Array.prototype.filter.call(
      container.querySelectorAll("input, select, textarea"),
      function (control) { return control.closest("[data-field]") === container; }
    );
  }

  function errorSlot(container) {
    return Array.prototype.filter.call(
      container.querySelectorAll(".field-error"),
      function (slot) { return slot.closest("[data-field]") === container; }
    )[0];
  }

  function describedBy(control, id, add) {
    var ids = (control.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean);
    ids = ids.filter(function (existing) { return existing !== id; });
    if (add) {
      ids.unshift(id);
    }
    if (ids.length) {
      control.setAttribute("aria-describedby", ids.join(" "));
    } else {
      control.removeAttribute("aria-describedby");
    }
  }

  function clearErrors() {
    summary.hidden = true;
    summaryDetail.textContent = "";
    summaryList.textContent = "";
    Array.prototype.forEach.call(form.querySelectorAll("[data-field]"), function (container) {
      container.classList.remove("has-error");
      var slot = errorSlot(container);
      if (slot) {
        slot.hidden = true;
        slot.textContent = "";
        controlsOf(container).forEach(function (control) {
          control.removeAttribute("aria-invalid");
          describedBy(control, slot.id, false);
        });
      }
    });
    evidenceFiles.concat(attorneyFiles).forEach(function (item) {
      item.row.classList.remove("file-error");
    });
  }

  function markFileItem(path, message) {
    var match = /^evidence\[(\d+)\]$/.exec(path);
    var item = match ? sentEvidence[Number(match[1])] : null;
    if (path === "power_of_attorney") {
      item = attorneyFiles.filter(function (i) { return i.state === "uploaded"; })[0] || null;
    }
    if (item && item.row) {
      item.row.classList.add("file-error");
      item.statusText.textContent = message;
    }
  }

  function showErrors(problemBody, status) {
    var errors = (problemBody && Array.isArray(problemBody.errors)) ? problemBody.errors : [];
    var firstControl = null;
    var unplaced = [];
    var placedMessages = {};

    errors.forEach(function (error) {
      var message = localize(error);
      var container = fieldContainer(error.field);
      if (!container || !errorSlot(container)) {
        unplaced.push(message);
        return;
      }
      markFileItem(error.field, message);
      var slot = errorSlot(container);
      var seen = placedMessages[slot.id] || [];
      if (seen.indexOf(message) < 0) {
        seen.push(message);
        placedMessages[slot.id] = seen;
      }
      slot.textContent = seen.join(" ");
      slot.hidden = false;
      container.classList.add("has-error");
      controlsOf(container).forEach(function (control) {
        control.setAttribute("aria-invalid", "true");
        describedBy(control, slot.id, true);
        if (!firstControl ||
          (firstControl.compareDocumentPosition(control) & Node.DOCUMENT_POSITION_PRECEDING)) {
          firstControl = control;
        }
      });
    });

    summaryDetail.textContent = errors.length
      ? fmt(M.summary_count, { n: errors.length })
      : (status >= 500 || !problemBody ? M.server_error : String(problemBody.detail || M.server_error));
    unplaced.forEach(function (message) {
      var line = document.createElement("li");
      line.textContent = message;
      summaryList.appendChild(line);
    });
    summary.hidden = false;
    if (firstControl) {
      firstControl.focus();
    } else {
      summary.focus();
    }
  }

  function showGeneralError(text) {
    summaryDetail.textContent = text;
    summary.hidden = false;
    summary.focus();
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
    setIfPresent(target, "description", valueOf("target.description"));

    var grounds = Array.prototype.map.call(
      form.querySelectorAll('input[name="grounds"]:checked'),
      function (box) { return box.value; }
    );
    sentEvidence = evidenceFiles.filter(function (item) { return item.state === "uploaded"; });

    var body = { claimant: claimant, target: target, grounds: grounds };
    if (grounds.indexOf("intellectual_property") >= 0) {
      setIfPresent(body, "ip_right", valueOf("ip_right"));
    }
    setIfPresent(body, "requested_action", checkedValue("requested_action"));
    setIfPresent(body, "statement", statement.value.trim());
    body.evidence = sentEvidence.map(function (item) { return item.uploadId; });
    if (isAgent) {
      var attorney = attorneyFiles.filter(function (item) { return item.state === "uploaded"; })[0];
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
    return evidenceFiles.concat(attorneyFiles)
      .filter(function (item) { return item.state === "uploading"; })
      .map(function (item) { return item.done; });
  }

  function submitReport(event) {
    event.preventDefault();
    if (submitting) {
      return;
    }
    clearErrors();
    var pending = pendingUploads();
    setBusy(true, pending.length ? M.waiting_uploads : M.submitting);
    Promise.all(pending)
      .then(function () {
        setBusy(true, M.submitting);
        var body = reportBody();
        // One key per filled form, kept for retries, so that a retry never opens a second case.
        idempotencyKey = idempotencyKey || newIdempotencyKey();
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
          showErrors(payload, response.status);
        });
      })
      .catch(function () {
        setBusy(false);
        showGeneralError(M.network_error);
      });
  }

  /* Receipt */

  function showReceipt(receipt) {
    document.getElementById("receipt-case-id").textContent = receipt.case_id;
    document.getElementById("receipt-token").textContent = receipt.receipt_token;
    var received = document.getElementById("receipt-received-at");
    received.setAttribute("datetime", receipt.received_at);
    received.textContent = humanMoment(receipt.received_at);
    var link = document.getElementById("receipt-status-link");
    link.href = config.statusUrl + "?lang=" + encodeURIComponent(config.lang) +
      "&case_id=" + encodeURIComponent(receipt.case_id);
    form.remove();
    document.getElementById("report-intro").hidden = true;
    var section = document.getElementById("receipt");
    section.hidden = false;
    window.scrollTo(0, 0);
    document.getElementById("receipt-title").focus();
  }

  function copyValue(button) {
    var source = document.getElementById(button.getAttribute("data-copy"));
    var status = document.getElementById("copy-status");
    var text = source.textContent;
    var done = function () { status.textContent = M.copied; };
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
    if (target.id === "evidence") {
      addFiles(target.files, evidenceFiles, document.getElementById("evidence-list"),
        config.maxFiles, target);
    } else if (target.id === "power-of-attorney") {
      attorneyFiles.slice().forEach(function (item) { removeItem(item, target); });
      addFiles(target.files, attorneyFiles, document.getElementById("power-of-attorney-list"),
        1, target);
    }
    syncConditionalFields();
  });
  statement.addEventListener("input", syncCounter);
  form.addEventListener("submit", submitReport);
  Array.prototype.forEach.call(document.querySelectorAll("[data-copy]"), function (button) {
    button.addEventListener("click", function () { copyValue(button); });
  });

  syncConditionalFields();
  syncCounter();
  submitButton.disabled = false;
})();
