"""The Trellis module library. Importable without Django: it runs inside step processes."""
