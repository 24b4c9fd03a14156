"""Deputies' suggestions (代表建议): submit, joint proposers, 交办, answer, evaluation, redo, 督办, statistics."""
