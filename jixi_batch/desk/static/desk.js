// The desk's only script: the upload form (drop, choose, send, wait) and the firm list (search, filter,
// open a firm's lines). Plain JavaScript, nothing fetched from elsewhere.
(function () {
  "use strict";
  var MAX_FILES = 20;
  var MAX_BYTES = 512 * 1048576;     // the server answers 413 beyond; said here before sending

  function sizeText(bytes) {
    if (bytes >= 1048576) return (bytes / 1048576).toFixed(1) + " MB";
    return Math.max(1, Math.round(bytes / 1024)) + " KB";
  }

  // --- upload page ---------------------------------------------------------------------------------
  var form = document.getElementById("compute");
  if (form) {
    var chosen = [];
    var list = document.getElementById("chosen");
    var drop = document.getElementById("drop");
    var message = document.getElementById("message");

    var show = function (text, kind) {
      message.hidden = !text;
      message.className = "message " + (kind || "");
      message.textContent = text || "";
    };
    var render = function () {
      list.innerHTML = "";
      chosen.forEach(function (file, i) {
        var li = document.createElement("li");
        li.textContent = file.name;
        var size = document.createElement("span");
        size.className = "size";
        size.textContent = sizeText(file.size);
        li.appendChild(size);
        var remove = document.createElement("button");
        remove.type = "button";
        remove.textContent = "移除";
        remove.addEventListener("click", function () { chosen.splice(i, 1); render(); check(); });
        li.appendChild(remove);
        list.appendChild(li);
      });
    };
    // the files read before anything is computed (POST /api/check): each file's role and rows, or the
    // message the command line would give; only the answer to the latest choice is shown
    var checked = document.getElementById("checked");
    var checkStatus = document.getElementById("check-status");
    var checkTable = document.getElementById("check-table");
    var checkError = document.getElementById("check-error");
    var asked = 0;
    var cell = function (row, text, cls) {
      var td = document.createElement("td");
      td.textContent = text;
      if (cls) td.className = cls;
      row.appendChild(td);
    };
    var showCheck = function (body, ok) {
      var tbody = checkTable.querySelector("tbody");
      tbody.textContent = "";
      checkError.hidden = ok;
      checkError.textContent = ok ? "" : "这些文件不能用于计算：" + (body.error || "未知错误");
      checkTable.hidden = !ok;
      if (!ok) { checkStatus.textContent = ""; return; }
      var count = 0;
      (body.files || []).forEach(function (file) {
        file.sheets.forEach(function (sheet, i) {
          var row = document.createElement("tr");
          cell(row, i === 0 ? file.file : "");
          cell(row, sheet.sheet);
          cell(row, sheet.role);
          cell(row, String(sheet.rows_read), "num");
          cell(row, String(sheet.rows_used), "num");
          cell(row, String(sheet.rows_review), "num");
          cell(row, String(sheet.rows_skipped), "num");
          tbody.appendChild(row);
        });
        count += 1;
      });
      checkStatus.textContent = "已读取 " + count + " 个文件，计算年度 " + body.year + " 年。核对无误后请按“开始计算”。";
      (body.lines || []).forEach(function (line) {
        if (line.indexOf("未读取") >= 0 || line.indexOf("已跳过") >= 0) checkStatus.textContent += "\n" + line;
      });
    };
    var check = function () {
      asked += 1;
      var mine = asked;
      if (!chosen.length || chosen.length > MAX_FILES) { checked.hidden = true; return; }
      var total = chosen.reduce(function (sum, f) { return sum + f.size; }, 0);
      if (total > MAX_BYTES) { checked.hidden = true; return; }
      var data = new FormData();
      chosen.forEach(function (file) { data.append("files", file, file.name); });
      var year = form.querySelector("[name=year]").value.trim();
      if (year) data.append("year", year);
      checked.hidden = false;
      checkTable.hidden = true; checkError.hidden = true;
      checkStatus.textContent = "正在读取文件，检查各文件的用途和行数……";
      fetch("/api/check", { method: "POST", body: data, credentials: "same-origin" })
        .then(function (response) {
          return response.json().catch(function () { return { error: "服务器返回了无法识别的结果（" + response.status + "）。" }; })
            .then(function (body) { return { ok: response.ok, body: body }; });
        })
        .then(function (answer) { if (mine === asked) showCheck(answer.body, answer.ok); })
        .catch(function () { if (mine === asked) showCheck({ error: "无法连接工作台，请确认启动工作台的窗口没有关闭。" }, false); });
    };
    var add = function (files) {
      Array.prototype.forEach.call(files, function (file) {
        if (file.name.charAt(0) === "." || file.name.indexOf("~$") === 0) return;
        if (!chosen.some(function (f) { return f.name === file.name && f.size === file.size; })) chosen.push(file);
      });
      render();
      check();
      show(chosen.length > MAX_FILES ? "每次计算最多 " + MAX_FILES + " 个文件，请移除多余的文件。" : "", "error");
    };
    form.querySelector("[name=year]").addEventListener("change", check);     // read again for another year
    document.getElementById("files").addEventListener("change", function (e) { add(e.target.files); e.target.value = ""; });
    document.getElementById("folder").addEventListener("change", function (e) { add(e.target.files); e.target.value = ""; });
    ["dragenter", "dragover"].forEach(function (t) {
      drop.addEventListener(t, function (e) { e.preventDefault(); drop.classList.add("over"); });
    });
    ["dragleave", "drop"].forEach(function (t) {
      drop.addEventListener(t, function (e) { e.preventDefault(); drop.classList.remove("over"); });
    });
    drop.addEventListener("drop", function (e) { add(e.dataTransfer.files); });

    form.addEventListener("submit", function (e) {
      e.preventDefault();
      if (!chosen.length) { show("请先选择或拖入输入文件。", "error"); return; }
      if (chosen.length > MAX_FILES) { show("每次计算最多 " + MAX_FILES + " 个文件，请移除多余的文件。", "error"); return; }
      var total = chosen.reduce(function (sum, f) { return sum + f.size; }, 0);
      if (total > MAX_BYTES) { show("所选文件合计 " + sizeText(total) + "，超过每次计算 512 MB 的上限，请分批或移除不需要的文件。", "error"); return; }
      var data = new FormData(form);
      data.delete("files");
      chosen.forEach(function (file) { data.append("files", file, file.name); });
      var button = document.getElementById("go");
      var busy = document.getElementById("busy");
      var elapsed = document.getElementById("elapsed");
      var started = Date.now();
      var timer = setInterval(function () {
        elapsed.textContent = "（已用 " + Math.round((Date.now() - started) / 1000) + " 秒）";
      }, 500);
      button.disabled = true; busy.hidden = false; show("");
      fetch("/api/runs", { method: "POST", body: data, credentials: "same-origin" })
        .then(function (response) {
          return response.json().catch(function () { return { error: "服务器返回了无法识别的结果（" + response.status + "）。" }; })
            .then(function (body) { return { ok: response.ok, body: body }; });
        })
        .then(function (answer) {
          if (answer.ok && answer.body.page) { window.location.href = answer.body.page; return; }
          show("未能计算：" + (answer.body.error || "未知错误") + "\n未生成任何输出。", "error");
        })
        .catch(function () { show("无法连接工作台，请确认启动工作台的窗口没有关闭。", "error"); })
        .then(function () { clearInterval(timer); button.disabled = false; busy.hidden = true; elapsed.textContent = ""; });
    });
  }

  // --- result page: the firms -------------------------------------------------------------------------
  var table = document.getElementById("firms");
  if (table) {
    var search = document.getElementById("search");
    var district = document.getElementById("district");
    var status = document.getElementById("status");
    var shown = document.getElementById("shown");
    var rows = Array.prototype.slice.call(table.querySelectorAll("tr.firm"));
    var filter = function () {
      var q = search.value.trim().toLowerCase();
      var n = 0;
      rows.forEach(function (row) {
        var ok = (!q || row.dataset.name.toLowerCase().indexOf(q) >= 0 || row.dataset.code.toLowerCase().indexOf(q) >= 0)
          && (!district.value || row.dataset.district === district.value)
          && (!status.value || row.dataset.status === status.value);
        row.hidden = !ok;
        if (!ok) { row.classList.remove("open"); row.nextElementSibling.hidden = true; }
        if (ok) n += 1;
      });
      shown.textContent = "显示 " + n + " / " + rows.length + " 户";
    };
    [search, district, status].forEach(function (el) { el.addEventListener("input", filter); el.addEventListener("change", filter); });
    var toggle = function (row) {
      var open = !row.classList.contains("open");
      row.classList.toggle("open", open);
      row.nextElementSibling.hidden = !open;
    };
    rows.forEach(function (row) {
      row.addEventListener("click", function () { toggle(row); });
      row.addEventListener("keydown", function (e) { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); toggle(row); } });
    });
    filter();
  }
  // --- earlier runs: compare two (GET /api/compare) ------------------------------------------------------
  var compareGo = document.getElementById("compare-go");
  if (compareGo) {
    var result = document.getElementById("compare-result");
    var compareMessage = document.getElementById("compare-message");
    var el = function (tag, text, cls) {
      var node = document.createElement(tag);
      if (text !== undefined && text !== null) node.textContent = text;
      if (cls) node.className = cls;
      return node;
    };
    var money = function (value) { return value === null || value === undefined ? "—" : value; };
    var signed = function (value) {
      if (value === null || value === undefined) return "—";
      return value.charAt(0) === "-" ? value : (value === "0.00" ? value : "+" + value);
    };
    // a table: heads (text; a head ending in "（元）" is a number column) and rows of cell texts
    var makeTable = function (heads, rows) {
      var t = el("table", null, "list compare");
      var tr = el("tr");
      heads.forEach(function (h) { tr.appendChild(el("th", h, h.indexOf("（元）") > 0 ? "num" : "")); });
      t.appendChild(el("thead")).appendChild(tr);
      var body = t.appendChild(el("tbody"));
      rows.forEach(function (cells) {
        var row = el("tr");
        cells.forEach(function (c, i) {
          row.appendChild(el("td", c, heads[i].indexOf("（元）") > 0 ? "num" : (heads[i].indexOf("计算说明") >= 0 ? "explain" : "")));
        });
        body.appendChild(row);
      });
      return t;
    };
    var section = function (title, items, heads, cells) {
      result.appendChild(el("h3", title + "（" + items.length + " 户）"));
      if (!items.length) { result.appendChild(el("p", "无。", "hint")); return; }
      result.appendChild(makeTable(heads, items.map(cells)));
    };
    var showComparison = function (c) {
      result.textContent = "";
      var totals = el("p", null, "totals");
      totals.appendChild(el("span", "之前 " + c.a.run + "：兑现总额 " + c.a.total_yuan + " 元，" + c.a.firms + " 户"));
      totals.appendChild(el("span", "之后 " + c.b.run + "：兑现总额 " + c.b.total_yuan + " 元，" + c.b.firms + " 户"));
      totals.appendChild(el("span", "差额 " + signed(c.total_diff_yuan) + " 元"));
      result.appendChild(totals);
      var n = c.counts;
      if (!n.changed && !n.added && !n.dropped && !n.status_changed && !c.lines.length) {
        result.appendChild(el("p", "两次运行的兑现结果完全相同。", "message ok"));
        return;
      }
      var name = function (f) { return f.name; };
      section("兑现金额变化的企业", c.changed, ["企业名称", "统一社会信用代码", "之前（元）", "之后（元）", "差额（元）"],
        function (f) { return [name(f), f.code, money(f.before_yuan), money(f.after_yuan), signed(f.diff_yuan)]; });
      section("新增企业", c.added, ["企业名称", "统一社会信用代码", "兑现金额（元）"],
        function (f) { return [name(f), f.code, money(f.after_yuan)]; });
      section("减少企业", c.dropped, ["企业名称", "统一社会信用代码", "原兑现金额（元）"],
        function (f) { return [name(f), f.code, money(f.before_yuan)]; });
      if (c.status_changed.length) {
        section("金额未变、状态变化的企业", c.status_changed, ["企业名称", "统一社会信用代码", "之前状态", "之后状态"],
          function (f) { return [name(f), f.code, f.status_before, f.status_after]; });
      }
      result.appendChild(el("h3", "各企业变化的奖励项目（" + c.lines.length + " 项）"));
      Object.keys(c.lines_by_firm).forEach(function (code) {
        var lines = c.lines_by_firm[code];
        result.appendChild(el("h4", lines[0].name + "（" + code + "）"));
        result.appendChild(makeTable(["变化", "奖励项目", "之前（元）", "之后（元）", "差额（元）", "之前的计算说明", "之后的计算说明"],
          lines.map(function (l) {
            return [l.kind, l.rule_name || l.rule_id, money(l.before_yuan), money(l.after_yuan), signed(l.diff_yuan),
              l.note_before || "—", l.note_after || "—"];
          })));
      });
    };
    compareGo.addEventListener("click", function () {
      var a = document.getElementById("compare-a").value;
      var b = document.getElementById("compare-b").value;
      compareMessage.hidden = true;
      if (a === b) {
        compareMessage.textContent = "请选择两次不同的运行进行对比。";
        compareMessage.hidden = false;
        return;
      }
      compareGo.disabled = true;
      result.textContent = "正在对比……";
      fetch("/api/compare?a=" + encodeURIComponent(a) + "&b=" + encodeURIComponent(b), { credentials: "same-origin" })
        .then(function (response) {
          return response.json().catch(function () { return { error: "服务器返回了无法识别的结果（" + response.status + "）。" }; })
            .then(function (body) { return { ok: response.ok, body: body }; });
        })
        .then(function (answer) {
          if (answer.ok) { showComparison(answer.body); return; }
          result.textContent = "";
          compareMessage.textContent = "无法对比：" + (answer.body.error || "未知错误");
          compareMessage.hidden = false;
        })
        .catch(function () {
          result.textContent = "";
          compareMessage.textContent = "无法连接工作台，请确认启动工作台的窗口没有关闭。";
          compareMessage.hidden = false;
        })
        .then(function () { compareGo.disabled = false; });
    });
  }
})();
