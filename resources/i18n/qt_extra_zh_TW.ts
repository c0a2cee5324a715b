<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<!-- Qt's own strings that PySide6's qtbase_zh_TW.qm lacks (newer mnemonic forms); loaded
     after qtbase. Compile: pyside6-lrelease qt_extra_zh_TW.ts -qm qt_extra_zh_TW.qm -->
<TS version="2.1" language="zh_TW">
  <context>
    <name>QFileDialog</name>
    <message>
      <source>&amp;Look in:</source>
      <translation>查看位置(&amp;L)：</translation>
    </message>
    <message>
      <source>Files of &amp;type:</source>
      <translation>檔案類型(&amp;T)：</translation>
    </message>
  </context>
</TS>
