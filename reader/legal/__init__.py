"""Legal references, the law list, the offline law library and the bilingual glossary.

Qt-free. Entry points:

* :func:`reader.legal.references.find_references`, :func:`~reader.legal.references.reference_terms`,
  :func:`~reader.legal.references.provision_terms` (``law:``/``art:`` queries);
* :func:`reader.legal.names.resolve_law` (a name, short name or pcode -> the law);
* :func:`reader.legal.lawdb.import_laws`, :func:`~reader.legal.lawdb.provision_text`;
* :func:`reader.legal.glossary.build_glossary`, :func:`~reader.legal.glossary.extract_glosses`.
"""
