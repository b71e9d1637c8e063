"""Data layer of the DVK dashboard: store, importer, figures, exports, command line. No Streamlit here."""
