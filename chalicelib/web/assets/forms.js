/* What the pages' forms share: words with placeholders, evidence files uploaded straight to
   storage with a progress bar each and checked by the server at once, and refused fields shown
   next to their inputs with a summary on top whose entries link to them. */
(function () {
  "use strict";

  var nextItemId = 0;

  function fmt(template, values) {
    if (template && typeof template === "object") {
      // One text in CLDR plural forms, chosen by the count it names (see web/texts.py).
      var form = new Intl.PluralRules(document.documentElement.lang || undefined)
        .select(Number(values[template.plural]));
      template = Object.prototype.hasOwnProperty.call(template, form) ? template[form] : template.other;
    }
    return String(template).replace(/\{(\w+)\}/g, function (whole, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : whole;
    });
  }

  function readConfig(id) {
    var block = document.getElementById(id);
    return block ? JSON.parse(block.textContent) : null;
  }

  function withLimits(config, extra) {
    var values = {};
    Object.keys(config.limits).forEach(function (key) { values[key] = config.limits[key]; });
    Object.keys(extra || {}).forEach(function (key) { values[key] = extra[key]; });
    return values;
  }

  function humanSize(config, bytes) {
    var units = config.sizeUnits;
    if (bytes < 1024) {
      return fmt(units[0], { n: bytes });
    }
    if (bytes < 1024 * 1024) {
      return fmt(units[1], { n: Math.round(bytes / 1024) });
    }
    return fmt(units[2], { n: (bytes / (1024 * 1024)).toFixed(1) });
  }

  function humanMoment(config, isoText) {
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

  /* The words for a 429: `template` with {time}, when the Retry-After of `response` ends. */
  function retryMessage(config, response, template) {
    var seconds = parseInt(response.headers.get("Retry-After"), 10);
    var at = new Date(Date.now() + (isNaN(seconds) ? 60 : seconds) * 1000);
    return fmt(template, { time: humanMoment(config, at.toISOString()) });
  }

  function baseField(path) {
    return String(path || "").replace(/\[\d+\]$/, "");
  }

  function localize(config, error) {
    var errors = config.messages.errors;
    var base = baseField(error.field);
    // Every code the API answers has words in the page's language; the server's own message
    // (English) is never shown: a code without words of its own gets the general ones.
    var text = errors[base + "|" + error.code] || errors[error.code] ||
      config.messages.en_field_fallback;
    return fmt(text, withLimits(config));
  }

  /* Files: each picked file is checked here, granted an upload, and posted straight to storage. */

  function contentTypeOf(config, file) {
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

  function refusal(config, file, contentType, countSoFar, maxCount) {
    var M = config.messages;
    if (countSoFar >= maxCount) {
      return fmt(M.refused_count, withLimits(config, { max_files: maxCount }));
    }
    if (config.allowedTypes.indexOf(contentType) < 0) {
      return fmt(M.refused_type, withLimits(config));
    }
    if (file.size > config.maxBytes) {
      return fmt(M.refused_size, withLimits(config));
    }
    if (file.size === 0) {
      return M.refused_empty;
    }
    return null;
  }

  function renderItem(config, item, list) {
    var M = config.messages;
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
    size.textContent = humanSize(config, item.file.size);
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
    if (state === "uploaded" || state === "checking") {
      item.progress.value = item.progress.max;
    }
  }

  function markItem(item, message) {
    if (item && item.row) {
      item.row.classList.add("file-error");
      item.statusText.textContent = message;
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

  function upload(config, item) {
    var M = config.messages;
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
          if (response.status === 429) {
            throw { userMessage: retryMessage(config, response, M.limit_uploads) };
          }
          if (!response.ok || !body) {
            var first = body && body.errors && body.errors[0];
            throw { userMessage: first ? localize(config, first) : M.upload_failed };
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
          return check(config, item);
        });
      })
      .catch(function (error) {
        if (!item.removed) {
          setItemState(item, "failed", (error && error.userMessage) || M.upload_failed);
        }
      });
  }

  /* The words for a file the server refused on its check: why, in the reader's language. */
  function checkRefusal(config, item, status, body) {
    var M = config.messages;
    var first = body && Array.isArray(body.errors) ? body.errors[0] : null;
    var code = first ? String(first.code) : "";
    var type = config.typeNames[item.contentType] || item.contentType;
    if (status === 404) {
      return M.upload_check_expired;
    }
    if (code === "not_uploaded") {
      return M.upload_check_missing;
    }
    if (code === "conflict") {
      return localize(config, first);
    }
    var words = {
      empty: M.refused_empty,
      too_large: fmt(M.refused_size, withLimits(config)),
      stored_type: fmt(M.upload_check_stored_type, { type: type }),
    };
    return words[code] || fmt(M.upload_check_not_type, { type: type });
  }

  /* Ask the server to check an uploaded file now, as the submission will: the same rules. */
  function check(config, item) {
    var M = config.messages;
    setItemState(item, "checking", M.upload_check_checking);
    var url = config.uploadsUrl + "/" + encodeURIComponent(item.uploadId) + "/check";
    return fetch(url, {
      method: "POST",
      headers: { Accept: "application/json, application/problem+json" },
      credentials: "same-origin",
    })
      .then(function (response) {
        return response.json().catch(function () { return null; }).then(function (body) {
          if (item.removed) {
            return;
          }
          if (response.ok && body && body.status === "ok") {
            setItemState(item, "uploaded", M.uploaded);
          } else if (response.status === 404 || response.status === 409 ||
            response.status === 422) {
            setItemState(item, "refused", checkRefusal(config, item, response.status, body));
          } else {
            // The check could not be made now (busy, out of reach): submitting checks it again.
            setItemState(item, "uploaded", M.uploaded);
          }
        });
      }, function () {
        if (!item.removed) {
          setItemState(item, "uploaded", M.uploaded);
        }
      });
  }

  /* The files picked in one file input, each uploaded as soon as it is picked. */
  function FileList(config, input, list, maxCount) {
    this.config = config;
    this.input = input;
    this.list = list;
    this.maxCount = maxCount;
    this.items = [];
    this.chosen = enhancePicker(config, input, maxCount > 1);
    this.syncChosen();
  }

  /* Put the file input in a box that says what was chosen (the browser's own words would say
     "No file chosen" once the input is emptied for the next pick), named by its label and the
     count. Return the element that holds the count. */
  function enhancePicker(config, input, multiple) {
    var M = config.messages;
    var label = document.querySelector('label[for="' + input.id + '"]');
    if (label && !label.id) {
      label.id = input.id + "-label";
    }
    var picker = document.createElement("div");
    picker.className = "file-picker";
    var button = document.createElement("span");
    button.className = "file-choose";
    button.setAttribute("aria-hidden", "true");
    button.textContent = multiple ? M.upload_check_choose : M.upload_check_choose_one;
    var chosen = document.createElement("span");
    chosen.className = "file-chosen";
    chosen.id = input.id + "-chosen";
    input.parentNode.insertBefore(picker, input);
    picker.appendChild(button);
    picker.appendChild(chosen);
    picker.appendChild(input);
    input.setAttribute("aria-labelledby", (label ? label.id + " " : "") + chosen.id);
    return chosen;
  }

  FileList.prototype.syncChosen = function () {
    var M = this.config.messages;
    var count = this.items.length;
    this.chosen.textContent = count ? fmt(M.upload_check_chosen, { n: count }) : M.upload_check_none;
  };

  FileList.prototype.add = function (picked) {
    var self = this;
    Array.prototype.forEach.call(picked, function (file) {
      var item = { id: nextItemId++, file: file, contentType: contentTypeOf(self.config, file) };
      var accepted = self.items.filter(function (i) { return i.state !== "refused"; }).length;
      var refused = refusal(self.config, file, item.contentType, accepted, self.maxCount);
      self.items.push(item);
      renderItem(self.config, item, self.list);
      item.removeButton.addEventListener("click", function () { self.remove(item); });
      if (refused) {
        setItemState(item, "refused", refused);
      } else {
        item.done = upload(self.config, item);
      }
    });
    // Let the same file be chosen again after it was removed.
    this.input.value = "";
    this.syncChosen();
  };

  FileList.prototype.remove = function (item) {
    item.removed = true;
    if (item.xhr && item.state === "uploading") {
      item.xhr.abort();
    }
    var index = this.items.indexOf(item);
    if (index >= 0) {
      this.items.splice(index, 1);
    }
    item.row.remove();
    this.syncChosen();
    this.input.focus();
  };

  FileList.prototype.clear = function () {
    this.items.slice().forEach(this.remove, this);
  };

  FileList.prototype.uploaded = function () {
    return this.items.filter(function (item) { return item.state === "uploaded"; });
  };

  FileList.prototype.pending = function () {
    return this.items
      .filter(function (item) { return item.state === "uploading" || item.state === "checking"; })
      .map(function (item) { return item.done; });
  };

  FileList.prototype.unmark = function () {
    this.items.forEach(function (item) { item.row.classList.remove("file-error"); });
  };

  /* Errors: each refused field next to its input, the rest in the summary at the top. */
  function ErrorDisplay(form, config, summary) {
    this.form = form;
    this.config = config;
    this.summary = summary;
    this.detail = summary.querySelector(".error-summary-detail");
    this.list = summary.querySelector(".error-summary-list");
    this.title = summary.querySelector(".error-summary-title");
    this.checkTitle = summary.getAttribute("data-title") || (this.title ? this.title.textContent : "");
  }

  ErrorDisplay.prototype.isHidden = function (element) {
    for (var node = element; node && node !== this.form; node = node.parentElement) {
      if (node.hidden) {
        return true;
      }
    }
    return false;
  };

  ErrorDisplay.prototype.container = function (path) {
    var base = baseField(path);
    var containers = this.form.querySelectorAll("[data-field]");
    for (var i = 0; i < containers.length; i++) {
      if (containers[i].getAttribute("data-field") === base && !this.isHidden(containers[i])) {
        return containers[i];
      }
    }
    return null;
  };

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

  ErrorDisplay.prototype.clear = function () {
    this.summary.hidden = true;
    if (this.title) {
      this.title.textContent = this.checkTitle;
    }
    this.detail.textContent = "";
    this.list.textContent = "";
    Array.prototype.forEach.call(this.form.querySelectorAll("[data-field]"), function (container) {
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
  };

  /* The words that name a field: its label or legend, without the required or optional mark. */
  function fieldName(container) {
    var heading = container.querySelector("legend, label.label");
    if (!heading) {
      return "";
    }
    var copy = heading.cloneNode(true);
    Array.prototype.forEach.call(
      copy.querySelectorAll(".required, .optional, .visually-hidden"),
      function (mark) { mark.remove(); }
    );
    return copy.textContent.replace(/\s+/g, " ").trim();
  }

  /* The one builder of an error summary: a heading that counts the entries, and one entry per
     error, a link to its field where it has one. `entries` are {href, text}. */
  function fillSummary(summary, config, entries, detail) {
    var M = config.messages;
    var title = summary.querySelector(".error-summary-title");
    var list = summary.querySelector(".error-summary-list");
    var detailText = summary.querySelector(".error-summary-detail");
    if (title && entries.length) {
      title.textContent = fmt(M.summary_count, { n: entries.length });
    }
    if (detailText) {
      detailText.textContent = detail || "";
      detailText.hidden = !detail;
    }
    list.textContent = "";
    entries.forEach(function (entry) {
      var line = document.createElement("li");
      if (entry.href) {
        var link = document.createElement("a");
        link.href = entry.href;
        link.textContent = entry.text;
        line.appendChild(link);
      } else {
        line.textContent = entry.text;
      }
      list.appendChild(line);
    });
    summary.hidden = false;
    summary.focus();
  }

  /* Following a summary's link moves focus to its field (the browser alone only scrolls). */
  function followSummaryLink(event) {
    var link = event.target.closest && event.target.closest(".error-summary a[href^='#']");
    if (!link) {
      return;
    }
    var target = document.getElementById(decodeURIComponent(link.getAttribute("href").slice(1)));
    if (!target) {
      return;
    }
    event.preventDefault();
    target.focus();
    var field = target.closest("[data-field], .field") || target;
    field.scrollIntoView({ block: "center" });
  }

  document.addEventListener("click", followSummaryLink);

  /* Show a problem's errors; markFile(path, message) points out the file a path names. */
  ErrorDisplay.prototype.show = function (problemBody, status, markFile) {
    var self = this;
    var M = this.config.messages;
    var errors = (problemBody && Array.isArray(problemBody.errors)) ? problemBody.errors : [];
    var entries = [];
    var placedMessages = {};

    errors.forEach(function (error) {
      var message = localize(self.config, error);
      var container = self.container(error.field);
      var slot = container && errorSlot(container);
      if (!slot) {
        entries.push({ href: null, text: message });
        return;
      }
      markFile(error.field, message);
      var seen = placedMessages[slot.id] || [];
      if (seen.indexOf(message) < 0) {
        seen.push(message);
        placedMessages[slot.id] = seen;
        var controls = controlsOf(container);
        var first = controls.filter(function (c) { return c.checked; })[0] || controls[0];
        var name = fieldName(container);
        entries.push({
          href: first && first.id ? "#" + first.id : null,
          text: name ? fmt(M.summary_entry, { name: name, message: message }) : message,
        });
      }
      slot.textContent = seen.join(" ");
      slot.hidden = false;
      container.classList.add("has-error");
      controlsOf(container).forEach(function (control) {
        control.setAttribute("aria-invalid", "true");
        describedBy(control, slot.id, true);
      });
    });

    var detail = "";
    var byStatus = M.status_errors && M.status_errors[String(status)];
    if (!errors.length) {
      if (byStatus) {
        detail = byStatus;
      } else {
        detail = status >= 500 || !problemBody
          ? M.server_error
          : M.en_problem_fallback;
      }
    }
    fillSummary(this.summary, this.config, entries, detail);
  };

  /* A message about the request as a whole; `title` replaces "check the form" when nothing in
     the form is wrong (a limit, the network). */
  ErrorDisplay.prototype.general = function (text, title) {
    if (this.title) {
      this.title.textContent = title || this.checkTitle;
    }
    this.list.textContent = "";
    this.detail.textContent = text;
    this.detail.hidden = false;
    this.summary.hidden = false;
    this.summary.focus();
  };

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

  // One Idempotency-Key per request body: a retry of the same request (after a lost answer)
  // sends the same key and is answered as the first time; a changed request gets a new key.
  function KeyForBody() {
    this.body = null;
    this.key = null;
  }

  KeyForBody.prototype.keyFor = function (bodyText) {
    if (bodyText !== this.body) {
      this.body = bodyText;
      this.key = newIdempotencyKey();
    }
    return this.key;
  };

  window.IrcForms = {
    fmt: fmt,
    newIdempotencyKey: newIdempotencyKey,
    KeyForBody: KeyForBody,
    readConfig: readConfig,
    humanMoment: humanMoment,
    localize: localize,
    retryMessage: retryMessage,
    markItem: markItem,
    FileList: FileList,
    ErrorDisplay: ErrorDisplay,
  };
})();
