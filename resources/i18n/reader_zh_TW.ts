<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_TW">
  <context>
    <name>Reader</name>
    <message>
      <source>Highlight restored.</source>
      <translation>已復原標示。</translation>
    </message>
    <message>
      <source>Annotations are read-only (written by a newer Reader).</source>
      <translation>標示為唯讀（由較新版本的 Reader 寫入）。</translation>
    </message>
    <message>
      <source>Select text in the article first.</source>
      <translation>請先在文章中選取文字。</translation>
    </message>
    <message>
      <source>Nothing to undo.</source>
      <translation>沒有可復原的操作。</translation>
    </message>
    <message>
      <source>Tags restored.</source>
      <translation>標籤已還原。</translation>
    </message>
    <message>
      <source>This annotation was deleted in another window or by an import.</source>
      <translation>這則註記已在另一個視窗中或因匯入而刪除。</translation>
    </message>
    <message>
      <source>Select the text to attach it to, then press the button.</source>
      <translation>請選取要附加的文字，再按此按鈕。</translation>
    </message>
    <message>
      <source>Could not be saved: </source>
      <translation>無法儲存：</translation>
    </message>
    <message>
      <source>Highlight deleted — {key} to undo</source>
      <translation>已刪除標示 — {key} 復原</translation>
    </message>
    <message>
      <source>Tags saved — {key} to undo</source>
      <translation>標籤已儲存——按 {key} 復原</translation>
    </message>
    <message>
      <source>fuzzy</source>
      <translation>近似</translation>
    </message>
    <message>
      <source>Detached: the text changed. Select new text and press “Re-attach to selection”.</source>
      <translation>已脫離：原文已變更。請選取新的文字，再按「重新附加到選取的文字」。</translation>
    </message>
    <message>
      <source>Article note</source>
      <translation>文章筆記</translation>
    </message>
    <message>
      <source>moved</source>
      <translation>已移動</translation>
    </message>
    <message>
      <source>detached</source>
      <translation>已脫離</translation>
    </message>
    <message>
      <source>1 annotation</source>
      <translation>1 則註記</translation>
    </message>
    <message>
      <source>{n} annotations</source>
      <translation>{n} 則註記</translation>
    </message>
    <message>
      <source>Note</source>
      <translation>筆記</translation>
    </message>
    <message>
      <source>Paragraph {n}</source>
      <translation>第 {n} 段</translation>
    </message>
    <message>
      <source>A tag cannot hold control characters (line breaks, tabs).</source>
      <translation>標籤不能包含控制字元（換行、定位字元）。</translation>
    </message>
    <message>
      <source>Separate tags with commas</source>
      <translation>以逗號分隔多個標籤</translation>
    </message>
    <message>
      <source>Tags of this highlight</source>
      <translation>此畫線的標籤</translation>
    </message>
    <message>
      <source>Tags of this highlight: Enter saves them; the tags already used are offered as you type</source>
      <translation>此畫線的標籤：按 Enter 儲存；輸入時會提示已使用過的標籤</translation>
    </message>
    <message>
      <source>Annotations</source>
      <translation>註記</translation>
    </message>
    <message>
      <source>Highlights in this article</source>
      <translation>本文的標示</translation>
    </message>
    <message>
      <source>Note on this highlight…</source>
      <translation>這段標示的筆記…</translation>
    </message>
    <message>
      <source>Note on this highlight</source>
      <translation>這段標示的筆記</translation>
    </message>
    <message>
      <source>Highlight colour</source>
      <translation>標示顏色</translation>
    </message>
    <message>
      <source>Delete</source>
      <translation>刪除</translation>
    </message>
    <message>
      <source>Delete highlight</source>
      <translation>刪除標示</translation>
    </message>
    <message>
      <source>Delete the highlight (Del); Ctrl+Z brings it back</source>
      <translation>刪除這段標示（Del）；按 Ctrl+Z 可復原</translation>
    </message>
    <message>
      <source>Problem with the tags</source>
      <translation>標籤的問題</translation>
    </message>
    <message>
      <source>Re-attach to selection</source>
      <translation>重新附加到選取的文字</translation>
    </message>
    <message>
      <source>Note on the whole article…</source>
      <translation>整篇文章的筆記…</translation>
    </message>
    <message>
      <source>Note on the whole article</source>
      <translation>整篇文章的筆記</translation>
    </message>
    <message>
      <source>Select text and press H to highlight.</source>
      <translation>選取文字後按 H 即可標示。</translation>
    </message>
    <message>
      <source>Tags:</source>
      <translation>標籤：</translation>
    </message>
    <message>
      <source>This article</source>
      <translation>本篇</translation>
    </message>
    <message>
      <source>Filter by text</source>
      <translation>依文字篩選</translation>
    </message>
    <message>
      <source>Filter by colour</source>
      <translation>依顏色篩選</translation>
    </message>
    <message>
      <source>Filter by tag</source>
      <translation>依標籤篩選</translation>
    </message>
    <message>
      <source>All annotations</source>
      <translation>所有註記</translation>
    </message>
    <message>
      <source>All colours</source>
      <translation>所有顏色</translation>
    </message>
    <message>
      <source>All tags</source>
      <translation>所有標籤</translation>
    </message>
    <message>
      <source>Your text is kept here and saved with your next change.</source>
      <translation>您輸入的文字會保留在這裡，並在下次修改時儲存。</translation>
    </message>
    <message>
      <source>At most {n} tags on one highlight.</source>
      <translation>每個畫線最多 {n} 個標籤。</translation>
    </message>
    <message>
      <source>A tag has at most {n} characters; this one has {count}.</source>
      <translation>標籤最多 {n} 個字元，這個標籤有 {count} 個。</translation>
    </message>
    <message>
      <source>{n} of {total} annotations</source>
      <translation>{total} 則註記中的 {n} 則</translation>
    </message>
    <message>
      <source>{total} annotations</source>
      <translation>{total} 則註記</translation>
    </message>
    <message>
      <source>the article is too long to format</source>
      <translation>文章太長，無法排版</translation>
    </message>
    <message>
      <source>the article has a line too long to format</source>
      <translation>文章有一行太長，無法排版</translation>
    </message>
    <message>
      <source>the article has too many nested brackets to format</source>
      <translation>文章的巢狀括號太多，無法排版</translation>
    </message>
    <message>
      <source>the article has a run of markup characters too long to format</source>
      <translation>文章有一長串標記符號，無法排版</translation>
    </message>
    <message>
      <source>the article's HTML is nested too deeply to format</source>
      <translation>文章的 HTML 巢狀太深，無法排版</translation>
    </message>
    <message>
      <source>the article is nested too deeply to format</source>
      <translation>文章巢狀太深，無法排版</translation>
    </message>
    <message>
      <source>formatting took too long</source>
      <translation>排版耗時過久</translation>
    </message>
    <message>
      <source>image not shown</source>
      <translation>圖片未顯示</translation>
    </message>
    <message>
      <source>Shown as plain text: {0}.</source>
      <translation>以純文字顯示：{0}。</translation>
    </message>
    <message>
      <source>Part {0} of {1}</source>
      <translation>第 {0} 部分，共 {1} 部分</translation>
    </message>
    <message>
      <source>Previous part</source>
      <translation>上一部分</translation>
    </message>
    <message>
      <source>Next part</source>
      <translation>下一部分</translation>
    </message>
    <message>
      <source>Open</source>
      <translation>開啟</translation>
    </message>
    <message>
      <source>Open original</source>
      <translation>開啟原始檔</translation>
    </message>
    <message>
      <source>Search the library (Ctrl+K)</source>
      <translation>搜尋文庫（Ctrl+K）</translation>
    </message>
    <message>
      <source>Search the library</source>
      <translation>搜尋文庫</translation>
    </message>
    <message>
      <source>Search history and saved searches (↓)</source>
      <translation>搜尋紀錄與已存搜尋（↓）</translation>
    </message>
    <message>
      <source>Search history</source>
      <translation>搜尋紀錄</translation>
    </message>
    <message>
      <source>Save this search…</source>
      <translation>儲存這個搜尋…</translation>
    </message>
    <message>
      <source>Clear history</source>
      <translation>清除紀錄</translation>
    </message>
    <message>
      <source>Search expansions</source>
      <translation>搜尋擴展</translation>
    </message>
    <message>
      <source>Sort articles</source>
      <translation>文章排序</translation>
    </message>
    <message>
      <source>Articles</source>
      <translation>文章數</translation>
    </message>
    <message>
      <source>Recent searches</source>
      <translation>最近的搜尋</translation>
    </message>
    <message>
      <source>No searches yet</source>
      <translation>尚無搜尋紀錄</translation>
    </message>
    <message>
      <source>Glossed terms are also searched as their other forms</source>
      <translation>詞彙表中的詞也會以其他寫法一併搜尋</translation>
    </message>
    <message>
      <source>Newest first</source>
      <translation>最新的在前</translation>
    </message>
    <message>
      <source>By title</source>
      <translation>依標題</translation>
    </message>
    <message>
      <source>Recently read</source>
      <translation>最近閱讀</translation>
    </message>
    <message>
      <source>problem</source>
      <translation>有問題</translation>
    </message>
    <message>
      <source>, </source>
      <translation>、</translation>
    </message>
    <message>
      <source>Search “{term}” only as typed</source>
      <translation>只搜尋輸入的「{term}」</translation>
    </message>
    <message>
      <source>Stop expanding “{term}”</source>
      <translation>不再擴展「{term}」</translation>
    </message>
    <message>
      <source>{term} → also {also}</source>
      <translation>{term} → 也找 {also}</translation>
    </message>
    <message>
      <source>Citation style: {style}</source>
      <translation>引註格式：{style}</translation>
    </message>
    <message>
      <source>Note on the article:</source>
      <translation>文章筆記：</translation>
    </message>
    <message>
      <source>detached: the quote is no longer in the article</source>
      <translation>已脫離：文章中已找不到這段引文</translation>
    </message>
    <message>
      <source>re-attached ({state})</source>
      <translation>已重新對應（{state}）</translation>
    </message>
    <message>
      <source>Export annotations…</source>
      <translation>匯出註記…</translation>
    </message>
    <message>
      <source>Export highlights and notes with their citations (Markdown, Word, CSV, JSON)</source>
      <translation>匯出標示與筆記及其引註（Markdown、Word、CSV、JSON 格式）</translation>
    </message>
    <message>
      <source>Copy with citation</source>
      <translation>連同引註複製</translation>
    </message>
    <message>
      <source>Copy the selection, highlight or passage with its citation</source>
      <translation>複製選取文字、標示或段落並附引註</translation>
    </message>
    <message>
      <source>Citation style</source>
      <translation>引註格式</translation>
    </message>
    <message>
      <source>Add citation style…</source>
      <translation>新增引註格式…</translation>
    </message>
    <message>
      <source>APA (7th edition)</source>
      <translation>APA（第 7 版）</translation>
    </message>
    <message>
      <source>Chicago (18th edition, notes and bibliography)</source>
      <translation>Chicago（第 18 版，註腳與書目）</translation>
    </message>
    <message>
      <source>Chicago (18th edition, author-date)</source>
      <translation>Chicago（第 18 版，作者－年份）</translation>
    </message>
    <message>
      <source>Select text, a highlight or a passage to copy with its citation.</source>
      <translation>請先選取文字、標示或段落，才能連同引註複製。</translation>
    </message>
    <message>
      <source>Export annotations</source>
      <translation>匯出註記</translation>
    </message>
    <message>
      <source>Citation style: {name}</source>
      <translation>引註格式：{name}</translation>
    </message>
    <message>
      <source>Add citation style</source>
      <translation>新增引註格式</translation>
    </message>
    <message>
      <source>Copied with citation ({style})</source>
      <translation>已連同引註複製（{style}）</translation>
    </message>
    <message>
      <source>Not copied:</source>
      <translation>未複製：</translation>
    </message>
    <message>
      <source>CSL citation styles</source>
      <translation>CSL 引註格式</translation>
    </message>
    <message>
      <source>Citation style added: {name}</source>
      <translation>已新增引註格式：{name}</translation>
    </message>
    <message>
      <source>Exporting to {file}…</source>
      <translation>正在匯出至 {file}…</translation>
    </message>
    <message>
      <source>1 annotation exported to {file}</source>
      <translation>已將 1 則註記匯出至 {file}</translation>
    </message>
    <message>
      <source>The annotations were not exported:</source>
      <translation>註記未匯出：</translation>
    </message>
    <message>
      <source>{file} (cannot be used)</source>
      <translation>{file}（無法使用）</translation>
    </message>
    <message>
      <source>annotations</source>
      <translation>註記</translation>
    </message>
    <message>
      <source>The citation style was not added:</source>
      <translation>引註格式未新增：</translation>
    </message>
    <message>
      <source>{n} annotations exported to {file}</source>
      <translation>已將 {n} 則註記匯出至 {file}</translation>
    </message>
    <message>
      <source>The citation style “{name}” cannot be used ({problem}); using {default}.</source>
      <translation>無法使用引註格式「{name}」（{problem}），改用{default}。</translation>
    </message>
    <message>
      <source>Keyboard shortcuts</source>
      <translation>鍵盤快捷鍵</translation>
    </message>
    <message>
      <source>About Reader</source>
      <translation>關於 Reader</translation>
    </message>
    <message>
      <source>Problems</source>
      <translation>問題</translation>
    </message>
    <message>
      <source>No problems.</source>
      <translation>沒有問題。</translation>
    </message>
    <message>
      <source>Preferences</source>
      <translation>偏好設定</translation>
    </message>
    <message>
      <source>Follow system</source>
      <translation>跟隨系統</translation>
    </message>
    <message>
      <source>Default (Noto Sans TC)</source>
      <translation>預設（思源黑體）</translation>
    </message>
    <message>
      <source>Language</source>
      <translation>語言</translation>
    </message>
    <message>
      <source>Theme</source>
      <translation>主題</translation>
    </message>
    <message>
      <source>Font</source>
      <translation>字型</translation>
    </message>
    <message>
      <source>Font size</source>
      <translation>字級</translation>
    </message>
    <message>
      <source>Line spacing</source>
      <translation>行距</translation>
    </message>
    <message>
      <source>Text width (characters per line)</source>
      <translation>版心寬度（每行字數）</translation>
    </message>
    <message>
      <source>Highlight colours; their names are used in filters and exports
(for example 定義, 義務, 罰則):</source>
      <translation>螢光筆顏色；名稱用於篩選與匯出
（例如：定義、義務、罰則）：</translation>
    </message>
    <message>
      <source>An offline reader for collections of articles, with complete Chinese search and highlights that survive edits.</source>
      <translation>離線閱讀文章集的工具：完整的中文搜尋，以及在文章修改後仍然保留的標示與筆記。</translation>
    </message>
    <message>
      <source>Light</source>
      <translation>淺色</translation>
    </message>
    <message>
      <source>Dark</source>
      <translation>深色</translation>
    </message>
    <message>
      <source>Sepia</source>
      <translation>復古</translation>
    </message>
    <message>
      <source>Export</source>
      <translation>匯出</translation>
    </message>
    <message>
      <source>Search (from the article list)</source>
      <translation>搜尋（在文章清單中）</translation>
    </message>
    <message>
      <source>Clear the search</source>
      <translation>清除搜尋</translation>
    </message>
    <message>
      <source>Open the selected article</source>
      <translation>開啟選取的文章</translation>
    </message>
    <message>
      <source>Open the top hit (in the search box)</source>
      <translation>開啟第一筆結果（在搜尋框中）</translation>
    </message>
    <message>
      <source>Move in the article list</source>
      <translation>在文章清單中移動</translation>
    </message>
    <message>
      <source>Next / previous article (in the list or the reading pane)</source>
      <translation>下一篇／上一篇文章（在文章列表或閱讀區）</translation>
    </message>
    <message>
      <source>Next / previous match</source>
      <translation>下一個／上一個相符處</translation>
    </message>
    <message>
      <source>Find in article</source>
      <translation>在文章中尋找</translation>
    </message>
    <message>
      <source>Highlight the selection</source>
      <translation>標示選取的文字</translation>
    </message>
    <message>
      <source>Undo deleting a highlight</source>
      <translation>復原刪除的標示</translation>
    </message>
    <message>
      <source>Jump to / delete the selected highlight (in the annotations panel)</source>
      <translation>跳到／刪除選取的標示（在註記面板中）</translation>
    </message>
    <message>
      <source>Open the article's original file</source>
      <translation>開啟文章的原始檔</translation>
    </message>
    <message>
      <source>Every passage of the search, below the article</source>
      <translation>在文章下方列出搜尋的所有段落</translation>
    </message>
    <message>
      <source>Edit the article's details (title, authors, publication)</source>
      <translation>編輯文章資料（標題、作者、出處）</translation>
    </message>
    <message>
      <source>Zoom in / out / actual size</source>
      <translation>放大／縮小／原始大小</translation>
    </message>
    <message>
      <source>Open a library</source>
      <translation>開啟文庫</translation>
    </message>
    <message>
      <source>Beginning / end of the article</source>
      <translation>文章開頭／結尾</translation>
    </message>
    <message>
      <source>Distraction-free mode</source>
      <translation>專注閱讀模式</translation>
    </message>
    <message>
      <source>Show or hide the side panels</source>
      <translation>顯示或隱藏側欄</translation>
    </message>
    <message>
      <source>Markdown (.md)</source>
      <translation>Markdown（.md）</translation>
    </message>
    <message>
      <source>Word (.docx), citations as footnotes</source>
      <translation>Word（.docx），引註為註腳</translation>
    </message>
    <message>
      <source>CSV (.csv), one row per annotation</source>
      <translation>CSV（.csv），每則註記一列</translation>
    </message>
    <message>
      <source>W3C Web Annotation JSON (.json)</source>
      <translation>W3C Web Annotation JSON（.json）</translation>
    </message>
    <message>
      <source>Annotations of</source>
      <translation>匯出範圍</translation>
    </message>
    <message>
      <source>The open article</source>
      <translation>目前開啟的文章</translation>
    </message>
    <message>
      <source>The articles checked below</source>
      <translation>下方勾選的文章</translation>
    </message>
    <message>
      <source>The whole library</source>
      <translation>整個文庫</translation>
    </message>
    <message>
      <source>Filter the articles</source>
      <translation>篩選文章</translation>
    </message>
    <message>
      <source>Articles to export</source>
      <translation>要匯出的文章</translation>
    </message>
    <message>
      <source>Colours</source>
      <translation>顏色</translation>
    </message>
    <message>
      <source>Colours to export</source>
      <translation>要匯出的顏色</translation>
    </message>
    <message>
      <source>Tags</source>
      <translation>標籤</translation>
    </message>
    <message>
      <source>Only annotations with a checked tag (none checked: all)</source>
      <translation>只匯出帶有已勾選標籤的註記（未勾選：全部）</translation>
    </message>
    <message>
      <source>Tags to export</source>
      <translation>要匯出的標籤</translation>
    </message>
    <message>
      <source>Format</source>
      <translation>格式</translation>
    </message>
    <message>
      <source>Format:</source>
      <translation>格式：</translation>
    </message>
    <message>
      <source>Citation style:</source>
      <translation>引註格式：</translation>
    </message>
    <message>
      <source>Annotations to export</source>
      <translation>要匯出的註記</translation>
    </message>
    <message>
      <source>Export…</source>
      <translation>匯出…</translation>
    </message>
    <message>
      <source>Cancel</source>
      <translation>取消</translation>
    </message>
    <message>
      <source>1 annotation will be exported.</source>
      <translation>將匯出 1 則註記。</translation>
    </message>
    <message>
      <source>No colour is checked.</source>
      <translation>未勾選任何顏色。</translation>
    </message>
    <message>
      <source>No annotations match; change the articles, colours or tags.</source>
      <translation>沒有符合的註記，請調整文章、顏色或標籤。</translation>
    </message>
    <message>
      <source>{n} annotations will be exported.</source>
      <translation>將匯出 {n} 則註記。</translation>
    </message>
    <message>
      <source>{tag} ({n})</source>
      <translation>{tag}（{n}）</translation>
    </message>
    <message>
      <source>Previous match (Shift+Enter)</source>
      <translation>上一個相符處（Shift+Enter）</translation>
    </message>
    <message>
      <source>Previous match</source>
      <translation>上一個相符處</translation>
    </message>
    <message>
      <source>Next match (Enter)</source>
      <translation>下一個相符處（Enter）</translation>
    </message>
    <message>
      <source>Next match</source>
      <translation>下一個相符處</translation>
    </message>
    <message>
      <source>Close (Esc)</source>
      <translation>關閉（Esc）</translation>
    </message>
    <message>
      <source>Close find bar</source>
      <translation>關閉尋找列</translation>
    </message>
    <message>
      <source>No matches</source>
      <translation>沒有相符</translation>
    </message>
    <message>
      <source>Nothing to import: no articles or documents were found.</source>
      <translation>沒有可匯入的內容：找不到文章或文件。</translation>
    </message>
    <message>
      <source>Choose an article in the list to read it (Enter opens, j / k the next and previous).</source>
      <translation>在清單中選一篇文章來閱讀（Enter 開啟，j / k 切換下一篇與上一篇）。</translation>
    </message>
    <message>
      <source>Open a library, a folder of articles: File ▸ Open library… (Ctrl+O).</source>
      <translation>開啟文庫（一個存放文章的資料夾）：檔案 ▸ 開啟文庫…（Ctrl+O）。</translation>
    </message>
    <message>
      <source>Import text, HTML and Markdown files, PDF, Word, OpenDocument, EPUB and saved pages: File ▸ Import files…, or drop them on the window.</source>
      <translation>匯入文字、HTML 與 Markdown 檔案，以及 PDF、Word、OpenDocument、EPUB 與儲存的網頁：檔案 ▸ 匯入檔案…，或直接拖放到視窗上。</translation>
    </message>
    <message>
      <source>Search with Ctrl+K: all the words must occur; OR, NOT or -word, "exact phrase", title: tag: author: note: and date:2024 narrow it.</source>
      <translation>以 Ctrl+K 搜尋：所有詞語都須出現；可用 OR、NOT 或 -詞語、"完整片語"，以及 title: tag: author: note: 與 date:2024 縮小範圍。</translation>
    </message>
    <message>
      <source>Select text and press H to highlight it; Ctrl+F finds in the article; Esc goes back to the list. Help ▸ Keyboard shortcuts lists every key.</source>
      <translation>選取文字後按 H 即可標示；Ctrl+F 在文章中尋找；Esc 回到清單。說明 ▸ 鍵盤快捷鍵列出所有按鍵。</translation>
    </message>
    <message>
      <source>{n} imported</source>
      <translation>已匯入 {n} 篇</translation>
    </message>
    <message>
      <source>{n} updated</source>
      <translation>{n} 篇已更新</translation>
    </message>
    <message>
      <source>{n} unchanged</source>
      <translation>{n} 篇未變更</translation>
    </message>
    <message>
      <source>{n} already in the library</source>
      <translation>{n} 篇已在文庫中</translation>
    </message>
    <message>
      <source>This is the sample collection, which is read-only: importing creates your own library, “Reader Library” in your Documents folder, and opens it.</source>
      <translation>這是唯讀的範例文章集：匯入時會在您的「文件」資料夾建立自己的文庫「Reader Library」並開啟它。</translation>
    </message>
    <message>
      <source>Welcome to Reader</source>
      <translation>歡迎使用 Reader</translation>
    </message>
    <message>
      <source>1 failed: {reason}</source>
      <translation>1 篇失敗：{reason}</translation>
    </message>
    <message>
      <source>{n} failed</source>
      <translation>{n} 篇失敗</translation>
    </message>
    <message>
      <source>&amp;File</source>
      <translation>檔案(&amp;F)</translation>
    </message>
    <message>
      <source>1 article</source>
      <translation>1 篇文章</translation>
    </message>
    <message>
      <source>{n} articles</source>
      <translation>{n} 篇文章</translation>
    </message>
    <message>
      <source>Law page</source>
      <translation>法規頁面</translation>
    </message>
    <message>
      <source>Reading the law…</source>
      <translation>正在讀取法規…</translation>
    </message>
    <message>
      <source>Law page status</source>
      <translation>法規頁面狀態</translation>
    </message>
    <message>
      <source>The law's provisions and the articles citing each</source>
      <translation>法規條文及引用各條的文章</translation>
    </message>
    <message>
      <source>Close</source>
      <translation>關閉</translation>
    </message>
    <message>
      <source>The law's page could not be made: </source>
      <translation>無法製作法規頁面：</translation>
    </message>
    <message>
      <source>Cited by {n}:</source>
      <translation>引用文章（{n} 篇）：</translation>
    </message>
    <message>
      <source>Law: {name}</source>
      <translation>法規：{name}</translation>
    </message>
    <message>
      <source>The law's text is not imported: run reader laws import to read its provisions here.</source>
      <translation>尚未匯入本法條文：執行 reader laws import 後即可在此閱讀條文。</translation>
    </message>
    <message>
      <source>{k} of {n} provisions cited in the library</source>
      <translation>共 {n} 條，文庫引用其中 {k} 條</translation>
    </message>
    <message>
      <source>{n} articles of the library cite this law; {k} of its provisions are cited.</source>
      <translation>文庫中有 {n} 篇文章引用本法，共引用其中 {k} 條。</translation>
    </message>
    <message>
      <source>Indexing progress</source>
      <translation>索引進度</translation>
    </message>
    <message>
      <source>Cancel indexing</source>
      <translation>取消建立索引</translation>
    </message>
    <message>
      <source>References</source>
      <translation>引用</translation>
    </message>
    <message>
      <source>Open library</source>
      <translation>開啟文庫</translation>
    </message>
    <message>
      <source>Import files</source>
      <translation>匯入檔案</translation>
    </message>
    <message>
      <source>Articles and documents</source>
      <translation>文章與文件</translation>
    </message>
    <message>
      <source>Indexing</source>
      <translation>建立索引</translation>
    </message>
    <message>
      <source>Reading documents</source>
      <translation>讀取文件</translation>
    </message>
    <message>
      <source>Open or select an article first.</source>
      <translation>請先開啟或選取一篇文章。</translation>
    </message>
    <message>
      <source>The original file is gone: </source>
      <translation>原始檔已不存在：</translation>
    </message>
    <message>
      <source>Article details saved.</source>
      <translation>文章資訊已儲存。</translation>
    </message>
    <message>
      <source>Not saved: </source>
      <translation>未儲存：</translation>
    </message>
    <message>
      <source>This link is not opened: </source>
      <translation>此連結不會開啟：</translation>
    </message>
    <message>
      <source>This link points outside the library.</source>
      <translation>此連結指向文庫以外的位置。</translation>
    </message>
    <message>
      <source>{n}% read</source>
      <translation>已讀 {n}%</translation>
    </message>
    <message>
      <source>{n} with problems</source>
      <translation>{n} 篇有問題</translation>
    </message>
    <message>
      <source>The sample collection is read-only: imported into your library {path}, now open.</source>
      <translation>範例文章集是唯讀的：已匯入您的文庫 {path}，並已開啟。</translation>
    </message>
    <message>
      <source>Reading {name}: page {done} / {pages}</source>
      <translation>正在讀取 {name}：第 {done} / {pages} 頁</translation>
    </message>
    <message>
      <source>Reading documents: {done} / {total} {name}</source>
      <translation>正在讀取文件：{done} / {total} {name}</translation>
    </message>
    <message>
      <source>Open library…</source>
      <translation>開啟文庫…</translation>
    </message>
    <message>
      <source>Recent libraries</source>
      <translation>最近的文庫</translation>
    </message>
    <message>
      <source>Import files…</source>
      <translation>匯入檔案…</translation>
    </message>
    <message>
      <source>Open the article's source file in the system's viewer</source>
      <translation>以系統的檢視程式開啟文章的原始檔</translation>
    </message>
    <message>
      <source>Preferences…</source>
      <translation>偏好設定…</translation>
    </message>
    <message>
      <source>Quit</source>
      <translation>結束</translation>
    </message>
    <message>
      <source>&amp;View</source>
      <translation>檢視(&amp;V)</translation>
    </message>
    <message>
      <source>Zoom in</source>
      <translation>放大</translation>
    </message>
    <message>
      <source>Zoom out</source>
      <translation>縮小</translation>
    </message>
    <message>
      <source>Actual size</source>
      <translation>原始大小</translation>
    </message>
    <message>
      <source>Contents</source>
      <translation>目錄</translation>
    </message>
    <message>
      <source>Side panels</source>
      <translation>側欄</translation>
    </message>
    <message>
      <source>&amp;Library</source>
      <translation>文庫(&amp;L)</translation>
    </message>
    <message>
      <source>Update index</source>
      <translation>更新索引</translation>
    </message>
    <message>
      <source>Rebuild index</source>
      <translation>重建索引</translation>
    </message>
    <message>
      <source>Problems…</source>
      <translation>問題…</translation>
    </message>
    <message>
      <source>Terms…</source>
      <translation>詞彙對照…</translation>
    </message>
    <message>
      <source>Edit article details…</source>
      <translation>編輯文章資訊…</translation>
    </message>
    <message>
      <source>&amp;Edit</source>
      <translation>編輯(&amp;E)</translation>
    </message>
    <message>
      <source>Undo delete</source>
      <translation>復原刪除</translation>
    </message>
    <message>
      <source>Highlight</source>
      <translation>標示</translation>
    </message>
    <message>
      <source>&amp;Help</source>
      <translation>說明(&amp;H)</translation>
    </message>
    <message>
      <source>Passages</source>
      <translation>段落</translation>
    </message>
    <message>
      <source>List every passage of the search below the article (Ctrl+Shift+P)</source>
      <translation>在文章下方列出搜尋結果的每一處段落（Ctrl+Shift+P）</translation>
    </message>
    <message>
      <source>&amp;Search</source>
      <translation>搜尋(&amp;S)</translation>
    </message>
    <message>
      <source>Show or hide the passages</source>
      <translation>顯示或隱藏段落</translation>
    </message>
    <message>
      <source>The date must be YYYY, YYYY-MM or YYYY-MM-DD.</source>
      <translation>日期須為 YYYY、YYYY-MM 或 YYYY-MM-DD。</translation>
    </message>
    <message>
      <source>The title cannot be empty.</source>
      <translation>標題不能空白。</translation>
    </message>
    <message>
      <source>A field holds a control character: </source>
      <translation>欄位含有控制字元：</translation>
    </message>
    <message>
      <source>A field is too long: </source>
      <translation>欄位過長：</translation>
    </message>
    <message>
      <source>Article details</source>
      <translation>文章資訊</translation>
    </message>
    <message>
      <source>Title:</source>
      <translation>標題：</translation>
    </message>
    <message>
      <source>Authors:</source>
      <translation>作者：</translation>
    </message>
    <message>
      <source>Date:</source>
      <translation>日期：</translation>
    </message>
    <message>
      <source>Address (URL):</source>
      <translation>網址（URL）：</translation>
    </message>
    <message>
      <source>Journal:</source>
      <translation>期刊：</translation>
    </message>
    <message>
      <source>Problem</source>
      <translation>問題</translation>
    </message>
    <message>
      <source>Save</source>
      <translation>儲存</translation>
    </message>
    <message>
      <source>Title</source>
      <translation>標題</translation>
    </message>
    <message>
      <source>Authors</source>
      <translation>作者</translation>
    </message>
    <message>
      <source>Names separated by 、 or ;</source>
      <translation>姓名之間以「、」或「;」分隔</translation>
    </message>
    <message>
      <source>Date</source>
      <translation>日期</translation>
    </message>
    <message>
      <source>YYYY, YYYY-MM or YYYY-MM-DD</source>
      <translation>YYYY、YYYY-MM 或 YYYY-MM-DD</translation>
    </message>
    <message>
      <source>Separated by commas</source>
      <translation>以逗號分隔</translation>
    </message>
    <message>
      <source>Address (URL)</source>
      <translation>網址（URL）</translation>
    </message>
    <message>
      <source>Journal</source>
      <translation>期刊</translation>
    </message>
    <message>
      <source>Volume</source>
      <translation>卷</translation>
    </message>
    <message>
      <source>Volume:</source>
      <translation>卷：</translation>
    </message>
    <message>
      <source>Issue</source>
      <translation>期</translation>
    </message>
    <message>
      <source>Issue:</source>
      <translation>期：</translation>
    </message>
    <message>
      <source>Pages</source>
      <translation>頁碼</translation>
    </message>
    <message>
      <source>Pages:</source>
      <translation>頁碼：</translation>
    </message>
    <message>
      <source>Saved in the article's file (its front matter).</source>
      <translation>儲存於文章檔案中（檔首資訊）。</translation>
    </message>
    <message>
      <source>This file is not changed: the details are kept in Reader's data folder and used in the list, citations and exports.</source>
      <translation>不會更動此檔案：資訊保存在 Reader 的資料夾中，並用於文章清單、引註與匯出。</translation>
    </message>
    <message>
      <source>p. {n}</source>
      <translation>頁 {n}</translation>
    </message>
    <message>
      <source>¶ {n}</source>
      <translation>第 {n} 段</translation>
    </message>
    <message>
      <source>Passages found</source>
      <translation>找到的段落</translation>
    </message>
    <message>
      <source>Order of the articles</source>
      <translation>文章排序</translation>
    </message>
    <message>
      <source>Best articles first</source>
      <translation>最相關的文章在前</translation>
    </message>
    <message>
      <source>Export the passages</source>
      <translation>匯出段落</translation>
    </message>
    <message>
      <source>Export the passages listed, with a citation for each article</source>
      <translation>匯出所列段落，每篇文章附上引註</translation>
    </message>
    <message>
      <source>Hide the passages (Ctrl+Shift+P)</source>
      <translation>隱藏段落（Ctrl+Shift+P）</translation>
    </message>
    <message>
      <source>Hide the passages</source>
      <translation>隱藏段落</translation>
    </message>
    <message>
      <source>Markdown…</source>
      <translation>Markdown…</translation>
    </message>
    <message>
      <source>Word (.docx)…</source>
      <translation>Word (.docx)…</translation>
    </message>
    <message>
      <source>CSV…</source>
      <translation>CSV…</translation>
    </message>
    <message>
      <source>Search the library to list every passage.</source>
      <translation>搜尋文庫以列出每一處段落。</translation>
    </message>
    <message>
      <source>Query not understood; searched as words.</source>
      <translation>無法理解查詢，已改以字詞搜尋。</translation>
    </message>
    <message>
      <source>There are no passages to export.</source>
      <translation>沒有可匯出的段落。</translation>
    </message>
    <message>
      <source>The passages were not exported:</source>
      <translation>段落未能匯出：</translation>
    </message>
    <message>
      <source>{passages} passages in {articles} articles</source>
      <translation>{passages} 處，{articles} 篇文章</translation>
    </message>
    <message>
      <source>The passages could not be listed: {problem}</source>
      <translation>無法列出段落：{problem}</translation>
    </message>
    <message>
      <source>Passages of {q}</source>
      <translation>「{q}」的段落</translation>
    </message>
    <message>
      <source>the search</source>
      <translation>搜尋</translation>
    </message>
    <message>
      <source>No passages for “{q}”.</source>
      <translation>找不到「{q}」的段落。</translation>
    </message>
    <message>
      <source>Passages of “{q}”</source>
      <translation>「{q}」的段落</translation>
    </message>
    <message>
      <source>{n} passages exported to {file}</source>
      <translation>已將 {n} 處段落匯出至 {file}</translation>
    </message>
    <message>
      <source>(searching… {done} of {total} articles)</source>
      <translation>（搜尋中… 第 {done} 篇，共 {total} 篇）</translation>
    </message>
    <message>
      <source>Article</source>
      <translation>文章</translation>
    </message>
    <message>
      <source>p. {page}</source>
      <translation>頁 {page}</translation>
    </message>
    <message>
      <source>The provision's text is shown after `reader laws import`.</source>
      <translation>執行 `reader laws import` 匯入法規後即可顯示條文內容。</translation>
    </message>
    <message>
      <source>References not recognised: </source>
      <translation>無法辨識引用：</translation>
    </message>
    <message>
      <source>Statute</source>
      <translation>法規</translation>
    </message>
    <message>
      <source>Constitutional interpretation</source>
      <translation>大法官解釋</translation>
    </message>
    <message>
      <source>Constitutional Court judgment</source>
      <translation>憲法法庭判決</translation>
    </message>
    <message>
      <source>Court decision</source>
      <translation>法院裁判</translation>
    </message>
    <message>
      <source>EU or international instrument</source>
      <translation>歐盟或國際規範</translation>
    </message>
    <message>
      <source>This law library has no such provision.</source>
      <translation>法規資料庫中沒有這一條。</translation>
    </message>
    <message>
      <source>References cited in this article</source>
      <translation>本文引用的法規與裁判</translation>
    </message>
    <message>
      <source>References columns</source>
      <translation>引用欄位</translation>
    </message>
    <message>
      <source>References summary</source>
      <translation>引用摘要</translation>
    </message>
    <message>
      <source>The cited provision</source>
      <translation>引用的條文</translation>
    </message>
    <message>
      <source>Find every article citing this</source>
      <translation>找出所有引用此項的文章</translation>
    </message>
    <message>
      <source>Show the law</source>
      <translation>查看法規</translation>
    </message>
    <message>
      <source>Show the law: its provisions and the articles citing each</source>
      <translation>查看法規全文：各條文及引用該條的文章</translation>
    </message>
    <message>
      <source>Cited</source>
      <translation>引用項目</translation>
    </message>
    <message>
      <source>Times</source>
      <translation>次數</translation>
    </message>
    <message>
      <source>This article cites no laws or decisions.</source>
      <translation>本文未引用法規或裁判。</translation>
    </message>
    <message>
      <source>{n} references</source>
      <translation>{n} 處引用</translation>
    </message>
    <message>
      <source>Occurrence {n} / {total}</source>
      <translation>第 {n} / {total} 處</translation>
    </message>
    <message>
      <source>Search</source>
      <translation>搜尋</translation>
    </message>
    <message>
      <source>Rename…</source>
      <translation>重新命名…</translation>
    </message>
    <message>
      <source>Saved searches</source>
      <translation>已存搜尋</translation>
    </message>
    <message>
      <source>Show or hide the saved searches</source>
      <translation>顯示或隱藏已存搜尋</translation>
    </message>
    <message>
      <source>A saved search needs a name.</source>
      <translation>已存搜尋需要名稱。</translation>
    </message>
    <message>
      <source>This search cannot be saved.</source>
      <translation>無法儲存這個搜尋。</translation>
    </message>
    <message>
      <source>Search history…</source>
      <translation>搜尋紀錄…</translation>
    </message>
    <message>
      <source>Type a search first, then save it.</source>
      <translation>請先輸入搜尋，再儲存。</translation>
    </message>
    <message>
      <source>Save this search</source>
      <translation>儲存這個搜尋</translation>
    </message>
    <message>
      <source>Name:</source>
      <translation>名稱：</translation>
    </message>
    <message>
      <source>Rename saved search</source>
      <translation>重新命名已存搜尋</translation>
    </message>
    <message>
      <source>No saved searches</source>
      <translation>尚無已存搜尋</translation>
    </message>
    <message>
      <source>That name is too long (at most {n} characters).</source>
      <translation>名稱太長（最多 {n} 個字元）。</translation>
    </message>
    <message>
      <source>A saved search is already called “{name}”.</source>
      <translation>已有名為「{name}」的已存搜尋。</translation>
    </message>
    <message>
      <source>At most {n} searches can be saved.</source>
      <translation>最多只能儲存 {n} 個搜尋。</translation>
    </message>
    <message>
      <source>No results for “{q}”.</source>
      <translation>找不到「{q}」。</translation>
    </message>
    <message>
      <source>(showing the best {n})</source>
      <translation>（顯示最相關的 {n} 篇）</translation>
    </message>
    <message>
      <source>Reading documents cancelled; Library ▸ Update index reads the rest.</source>
      <translation>已取消讀取文件；文庫 ▸ 更新索引 會讀取其餘文件。</translation>
    </message>
    <message>
      <source>Indexing cancelled; search shows what was indexed so far.</source>
      <translation>已取消建立索引；搜尋結果僅涵蓋已建立索引的文章。</translation>
    </message>
    <message>
      <source>Another Reader is indexing this library; search uses the last finished index.</source>
      <translation>另一個 Reader 正在為此文庫建立索引；搜尋使用上次完成的索引。</translation>
    </message>
    <message>
      <source>Scanning failed: </source>
      <translation>掃描失敗：</translation>
    </message>
    <message>
      <source>Indexing failed: </source>
      <translation>建立索引失敗：</translation>
    </message>
    <message>
      <source>Search failed: </source>
      <translation>搜尋失敗：</translation>
    </message>
    <message>
      <source>Snippets could not be made: </source>
      <translation>無法產生摘錄：</translation>
    </message>
    <message>
      <source>This library was moved or renamed: its annotations were re-attached.</source>
      <translation>此文庫已移動或重新命名：其註記已重新附加。</translation>
    </message>
    <message>
      <source>Annotations of renamed articles were kept.</source>
      <translation>已保留改名文章的標示。</translation>
    </message>
    <message>
      <source>Edit term</source>
      <translation>編輯詞彙</translation>
    </message>
    <message>
      <source>Terms</source>
      <translation>詞彙對照</translation>
    </message>
    <message>
      <source>Filter terms</source>
      <translation>篩選詞彙</translation>
    </message>
    <message>
      <source>Term pairs</source>
      <translation>詞彙對照表</translation>
    </message>
    <message>
      <source>Terms status</source>
      <translation>詞彙狀態</translation>
    </message>
    <message>
      <source>Confirm</source>
      <translation>確認</translation>
    </message>
    <message>
      <source>Edit…</source>
      <translation>編輯…</translation>
    </message>
    <message>
      <source>Reject</source>
      <translation>排除</translation>
    </message>
    <message>
      <source>Reading the library's terms…</source>
      <translation>正在讀取文庫的詞彙…</translation>
    </message>
    <message>
      <source>learned</source>
      <translation>自動學得</translation>
    </message>
    <message>
      <source>confirmed</source>
      <translation>已確認</translation>
    </message>
    <message>
      <source>rejected</source>
      <translation>已排除</translation>
    </message>
    <message>
      <source>Chinese</source>
      <translation>中文</translation>
    </message>
    <message>
      <source>English</source>
      <translation>英文</translation>
    </message>
    <message>
      <source>Abbreviation</source>
      <translation>縮寫</translation>
    </message>
    <message>
      <source>A term needs its Chinese and its English or abbreviation.</source>
      <translation>詞彙須有中文，以及英文或縮寫。</translation>
    </message>
    <message>
      <source>Confidence</source>
      <translation>可信度</translation>
    </message>
    <message>
      <source>Status</source>
      <translation>狀態</translation>
    </message>
    <message>
      <source>fix or remove the file to make decisions.</source>
      <translation>請修正或移除該檔案後再做決定。</translation>
    </message>
    <message>
      <source>No term pairs: the library's articles gloss no terms (中文（English）).</source>
      <translation>沒有詞彙對照：文庫的文章未以「中文（English）」標註詞彙。</translation>
    </message>
    <message>
      <source>Only confirmed pairs and pairs of high confidence widen searches.</source>
      <translation>只有已確認或可信度高的詞彙對照會擴大搜尋。</translation>
    </message>
    <message>
      <source>(not used)</source>
      <translation>（未使用）</translation>
    </message>
    <message>
      <source>Terms could not be read: </source>
      <translation>無法讀取詞彙：</translation>
    </message>
    <message>
      <source>The decision was not saved: </source>
      <translation>決定未能儲存：</translation>
    </message>
  </context>
</TS>
