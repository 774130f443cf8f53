"""nbgrader configuration for Yield Lab: the course directory is this folder."""

c = get_config()  # noqa: F821 (provided by nbgrader when it loads this file)

c.CourseDirectory.course_id = "yieldlab"
# The reference notebooks are the one source of truth; learners get generated copies.
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "exercises"

# Hardened execution. Every check in a test cell has its own time limit (2 s, see
# graders); the cell limit is the backstop for code that escapes it: the kernel
# is interrupted, that cell scores 0 and the next cells still run.
c.Execute.timeout = 30
c.Execute.interrupt_on_timeout = True
c.Execute.raise_on_iopub_timeout = False
c.Execute.iopub_timeout = 10
c.Execute.extra_arguments = [
    "--HistoryManager.hist_file=:memory:",
    # Feedback shows the check's message, not a traceback through the graders.
    "--InteractiveShell.xmode=Minimal",
]

# Feedback must not show hidden tests.
c.GenerateFeedback.preprocessors = [
    "nbgrader.preprocessors.GetGrades",
    "nbgrader.preprocessors.ClearHiddenTests",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
]
