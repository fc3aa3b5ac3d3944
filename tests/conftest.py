"""Makes the helpers at the top of tests/ (pdfbuild.py, hostile/) importable from every test folder:
pytest puts the folder of this file on sys.path."""
