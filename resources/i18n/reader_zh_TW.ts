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
      <source>Select the text to attach it to, then press the button.</source>
      <translation>請選取要附加的文字，再按此按鈕。</translation>
    </message>
    <message>
      <source>This annotation was deleted in another window or by an import.</source>
      <translation>這則註記已在另一個視窗中或因匯入而刪除。</translation>
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
      <source>Sort articles</source>
      <translation>文章排序</translation>
    </message>
    <message>
      <source>Articles</source>
      <translation>文章</translation>
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
      <source>Nothing to import: no .md, .txt or .html files were found.</source>
      <translation>沒有可匯入的內容：找不到 .md、.txt 或 .html 檔案。</translation>
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
      <source>Import .txt, .html and .md files: File ▸ Import files…, or drop them on the window.</source>
      <translation>匯入 .txt、.html 與 .md 檔案：檔案 ▸ 匯入檔案…，或直接拖放到視窗上。</translation>
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
      <source>, </source>
      <translation>、</translation>
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
      <source>Indexing progress</source>
      <translation>索引進度</translation>
    </message>
    <message>
      <source>Cancel indexing</source>
      <translation>取消建立索引</translation>
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
      <source>Indexing</source>
      <translation>建立索引</translation>
    </message>
    <message>
      <source>Reading documents</source>
      <translation>讀取文件</translation>
    </message>
    <message>
      <source>The original file is gone: </source>
      <translation>原始檔已不存在：</translation>
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
      <source>p. {n}</source>
      <translation>頁 {n}</translation>
    </message>
    <message>
      <source>¶ {n}</source>
      <translation>第 {n} 段</translation>
    </message>
    <message>
      <source>Passages</source>
      <translation>段落</translation>
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
      <source>Export</source>
      <translation>匯出</translation>
    </message>
    <message>
      <source>Export the passages</source>
      <translation>匯出段落</translation>
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
      <source>{passages} passages in {articles} articles</source>
      <translation>{passages} 處，{articles} 篇文章</translation>
    </message>
    <message>
      <source>The passages could not be listed: {problem}</source>
      <translation>無法列出段落：{problem}</translation>
    </message>
    <message>
      <source>No passages for “{q}”.</source>
      <translation>找不到「{q}」的段落。</translation>
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
      <source>This library was moved or renamed: its annotations were re-attached.</source>
      <translation>此文庫已移動或重新命名：其註記已重新附加。</translation>
    </message>
    <message>
      <source>Search failed: </source>
      <translation>搜尋失敗：</translation>
    </message>
    <message>
      <source>Annotations of renamed articles were kept.</source>
      <translation>已保留改名文章的標示。</translation>
    </message>
  </context>
</TS>
