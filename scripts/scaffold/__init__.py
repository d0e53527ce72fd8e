"""The note scaffold behind scripts/new_note.py: `note_plan` plans and writes a new
note, `questions` asks a contributor at a terminal for what the command line left out."""
