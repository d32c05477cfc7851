"""Feedback objects, try counting, and the generic checks every lesson's checkers build on.

A checker returns a :class:`Feedback` in one of three states: correct, not yet (a
wrong answer), or "your turn" (the ``...`` is still there, so there is nothing to
judge). A wrong answer first gets a hint that points to the idea; the answer itself
is added on the third different wrong try, or shown on request with the lesson's
``show_solution(number)``.

Two environment variables change this for a class (both read at each call):

* ``CONV2D_SOLUTIONS=withheld``: ``show_solution`` says the teacher has kept the worked
  answers back instead of showing one, and the feedback no longer points to it. The
  student copy (``make student``) sets it in each lesson's setup cell.
* ``CONV2D_GRADING=1``: a checker raises :class:`NotYetCorrect` (an ``AssertionError``)
  for an answer that is not right, so a run of the notebook (``pytest --nbval-lax``, an
  autograder) fails on that exercise's cell. Without it a checker never raises.
"""

from __future__ import annotations

import dis
import functools
import html
import os
import re
import types

import numpy as np

CORRECT, WRONG, EMPTY = "correct", "wrong", "empty"

# The try on which a wrong answer's feedback also gives the answer.
REVEAL_ON_TRY = 3

SOLUTIONS_VARIABLE = "CONV2D_SOLUTIONS"   # "withheld": the worked answers are kept back
GRADING_VARIABLE = "CONV2D_GRADING"       # "1": a checker raises on an answer that is not right


def solutions_withheld():
    """True when ``CONV2D_SOLUTIONS=withheld``: ``show_solution`` keeps the worked answers back.

    Returns
    -------
    bool

    Raises
    ------
    Nothing
    """
    return os.environ.get(SOLUTIONS_VARIABLE, "").strip().lower() == "withheld"


def grading():
    """True when ``CONV2D_GRADING=1``: checkers raise :class:`NotYetCorrect` on an answer that is not right.

    Returns
    -------
    bool

    Raises
    ------
    Nothing
    """
    return os.environ.get(GRADING_VARIABLE, "").strip() == "1"


class NotYetCorrect(AssertionError):
    """Raised by a checker in grading mode (``CONV2D_GRADING=1``) for a wrong or missing answer.

    Parameters
    ----------
    feedback : Feedback
        The verdict, kept as ``.feedback``; the message is its text.
    """

    def __init__(self, feedback):
        super().__init__(str(feedback))
        self.feedback = feedback


_HEADINGS = {CORRECT: ("Correct!", "#1a9850", "&#10004;"),
             WRONG: ("Not yet.", "#b35806", "&#10008;"),
             EMPTY: ("Your turn.", "#4d4d4d", "&#9998;")}


class Feedback:
    """The verdict on one answer, and a few sentences for the learner.

    Parameters
    ----------
    passed : bool
        Whether the answer is right.
    message : str
        For a wrong answer, the hint: what to look at again, without the answer.
    answer : str, optional
        For a wrong answer, the explanation that gives the answer away; added to the
        message from the third different wrong try on.
    empty : bool, optional
        True when nothing has been answered yet (the ``...`` is still there).

    Attributes
    ----------
    passed : bool
    status : {"correct", "wrong", "empty"}
    hint, answer : str
    tries : int
        Which different wrong try of this exercise this is (0 when not counted).
    message : str
        Everything the learner reads under the verdict.

    Notes
    -----
    Shows as a coloured note in a notebook (green tick, orange cross, grey pencil) and
    as plain text elsewhere (``print(feedback)``). ``.require()`` raises when the answer
    is not right; the tests use it to prove every reference solution passes.
    """

    def __init__(self, passed, message, answer="", *, empty=False):
        self.passed = bool(passed) and not empty
        self.status = EMPTY if empty else (CORRECT if self.passed else WRONG)
        self.hint, self.answer = message, answer
        self.tries, self.solution_call = 0, ""
        self.message = message

    def _counted(self, tries, solution_call):
        """This wrong answer's feedback for its ``tries``-th different try."""
        self.tries, self.solution_call = tries, solution_call
        parts = [self.hint]
        if tries >= REVEAL_ON_TRY and self.answer:
            parts.append(f"The answer: {self.answer}")
        if tries >= 2 and solution_call and not solutions_withheld():
            parts.append(f"Stuck? {solution_call} shows a worked answer.")
        self.message = " ".join(part for part in parts if part)
        return self

    def require(self):
        """Raise ``AssertionError`` unless the answer passed (the tests run every reference solution so).

        Returns
        -------
        Feedback
            Itself, when the answer passed.

        Raises
        ------
        AssertionError
            When the answer is wrong or missing, with the message.
        """
        if not self.passed:
            raise AssertionError(self.message)
        return self

    @property
    def heading(self):
        """The one-word verdict: "Correct!", "Not yet." or "Your turn."."""
        return _HEADINGS[self.status][0]

    def __str__(self):
        return f"{self.heading} {self.message}"

    def __repr__(self):
        return str(self)

    def _repr_html_(self):
        word, colour, mark = _HEADINGS[self.status]
        return (f'<div class="conv2d-feedback conv2d-feedback-{self.status}" '
                f'style="border-left:4px solid {colour};padding:4px 10px;margin:4px 0;line-height:1.5">'
                f'<b style="color:{colour}">{mark} {word}</b> {_html_text(self.message)}</div>')


def _html_text(text):
    """Escape ``text`` for HTML and set the parts written in backticks as code."""
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", html.escape(text))


def empty(what):
    """The neutral prompt for an exercise whose ``...`` is still there.

    Parameters
    ----------
    what : str
        What to write, e.g. "a tuple of three numbers".

    Returns
    -------
    Feedback
    """
    return Feedback(False, f"Replace the ... with {what}, then run this cell again.", empty=True)


# --- counting tries -----------------------------------------------------------------------

_TRIES = {}       # checker key -> fingerprints of the different wrong answers, in order
_SOLUTIONS = {}   # checker key -> how to ask for its solution, e.g. "exercises.show_solution(2)"


def reset_tries():
    """Forget every exercise's wrong tries (a fresh start, as after restarting the kernel).

    Raises
    ------
    Nothing
    """
    _TRIES.clear()


def _key(checker):
    return f"{checker.__module__}.{checker.__name__}"


def counts_tries(checker):
    """Decorate a checker: count its different wrong answers, and never let it raise.

    The same wrong answer checked again is the same try; a new wrong answer is the next
    one. From the second try on the feedback says how to see a worked answer; from the
    third it gives the answer. An error inside the checker itself is reported in words.
    In grading mode (``CONV2D_GRADING=1``) an answer that is not right raises
    :class:`NotYetCorrect` instead of being returned.
    """
    key = _key(checker)

    @functools.wraps(checker)
    def checked(answer, *args, **kwargs):
        try:
            feedback = checker(answer, *args, **kwargs)
        except Exception as error:  # a checker must never raise on what a learner typed
            feedback = Feedback(False, f"This answer could not be checked ({type(error).__name__}: {error}). "
                                       "Look at what it is (print it), then try again.")
        if feedback.status == WRONG:
            seen = _TRIES.setdefault(key, [])
            fingerprint = _fingerprint(answer)
            if fingerprint not in seen:
                seen.append(fingerprint)
            feedback = feedback._counted(seen.index(fingerprint) + 1, _SOLUTIONS.get(key, ""))
        if grading() and not feedback.passed:
            raise NotYetCorrect(feedback)
        return feedback

    if checked.__doc__ and "Raises" not in checked.__doc__:
        checked.__doc__ = checked.__doc__.rstrip() + _NEVER_RAISES
    return checked


_NEVER_RAISES = """

    Raises
    ------
    NotYetCorrect
        Only in grading mode (``CONV2D_GRADING=1``), for an answer that is not right.
        Otherwise nothing: whatever the answer (a string, None, a wrong shape, a function
        that raises), the problem is said in the returned Feedback.
    """


def _fingerprint(answer):
    """A value that is equal for the same answer given twice (a function: the same code)."""
    try:
        if isinstance(answer, types.FunctionType):
            return ("function", _code_key(answer.__code__), repr(answer.__defaults__))
        if isinstance(answer, np.ndarray):
            return ("array", answer.dtype.str, answer.shape, answer.tobytes())
        if isinstance(answer, (set, frozenset)):
            return ("set", tuple(sorted(repr(item) for item in answer)))
        if isinstance(answer, dict):
            return ("dict", tuple(sorted((repr(k), repr(v)) for k, v in answer.items())))
        return ("value", type(answer).__name__, repr(answer))
    except Exception:  # an object whose repr fails: every check of it is a new try
        return ("object", id(answer))


def _code_key(code):
    consts = tuple(_code_key(c) if isinstance(c, types.CodeType) else repr(c) for c in code.co_consts)
    return code.co_code, code.co_names, code.co_varnames, consts


# --- reading answers ----------------------------------------------------------------------

def _not_answered(answer):
    return answer is None or answer is Ellipsis


def is_stub(function):
    """True for a function whose body is still only ``...`` (or ``pass``): nothing written yet."""
    code = getattr(function, "__code__", None)
    if code is None:
        return False
    quiet = {"RESUME", "NOP", "LOAD_CONST", "RETURN_CONST", "RETURN_VALUE", "POP_TOP", "CACHE"}
    try:
        return all(op.opname in quiet and (op.opname not in {"LOAD_CONST", "RETURN_CONST"} or op.argval is None
                                           or op.argval is Ellipsis)
                   for op in dis.get_instructions(code))
    except Exception:  # an unusual code object: treat it as written
        return False


def is_number(answer):
    """True for a real number (int, float or a NumPy scalar), False for a bool, string, array..."""
    return isinstance(answer, (int, float, np.integer, np.floating)) and not isinstance(answer, (bool, np.bool_))


def whole_number(answer):
    """``answer`` as an int when it is a whole number (``4``, ``np.int64(4)``, ``4.0``), else None."""
    if isinstance(answer, (int, np.integer)) and is_number(answer):
        return int(answer)
    if not is_number(answer) or not np.isfinite(answer) or float(answer) != int(answer):
        return None
    return int(answer)


def int_tuple(answer):
    """``answer`` as a tuple of ints when it is a shape NumPy accepts (ints, NumPy ints), else None."""
    if isinstance(answer, np.ndarray) and answer.ndim == 1 and answer.dtype.kind in "iu":
        answer = answer.tolist()
    if not isinstance(answer, (tuple, list)):
        return None
    if not all(isinstance(n, (int, np.integer)) and not isinstance(n, (bool, np.bool_)) for n in answer):
        return None
    return tuple(int(n) for n in answer)


def number_tuple(answer):
    """``answer`` as a tuple of floats when it is a sequence of real numbers, else None."""
    if isinstance(answer, np.ndarray) and answer.ndim == 1:
        answer = answer.tolist()
    if not isinstance(answer, (tuple, list)) or not all(is_number(n) for n in answer):
        return None
    return tuple(float(n) for n in answer)


def same_numbers(result, expected, allow_bool=False):
    """True when ``result`` has ``expected``'s shape and values, to the precision of its own dtype.

    A float16 result is compared to float16 precision, a float64 one to about 1e-5; a
    result that is not numbers (a string, None, objects; booleans unless ``allow_bool``)
    is never the same.
    """
    try:
        result, expected = np.asarray(result), np.asarray(expected)
        if result.shape != expected.shape or result.dtype.kind not in ("biuf" if allow_bool else "iuf"):
            return False
        rtol = 1e-5
        if result.dtype.kind == "f":
            rtol = max(rtol, 2 * float(np.finfo(result.dtype).eps))
        return bool(np.allclose(result.astype(float), expected.astype(float), rtol=rtol, atol=rtol * 1e-3))
    except Exception:  # an array of strange objects: not the same numbers
        return False


def call(function, arguments):
    """Call the learner's function on copies of ``arguments``.

    Returns
    -------
    result : object
        The function's return value (None when it raised).
    error : Exception or None
        What it raised.
    """
    copies = tuple(a.copy() if isinstance(a, np.ndarray) else a for a in arguments)
    try:
        return function(*copies), None
    except Exception as error:  # the learner's code: reported in words by the caller
        return None, error


class _Spy:
    """Stands in for a library function while a learner's function runs, and notes what it was given."""

    def __init__(self, real):
        self.real, self.shapes = real, []

    def __call__(self, *args, **kwargs):
        self.shapes.append(_shape(args[0]) if args else None)
        return self.real(*args, **kwargs)


def library_calls(function, arguments, targets):
    """Run the learner's function with some of the package's functions watched.

    Parameters
    ----------
    function : callable
    arguments : tuple
    targets : sequence of callable
        The package's functions to watch (``conv2d``, ``output_size``, ...), however the
        learner reaches them: by the name the lesson imported, or as ``conv2d_lib.conv2d``.

    Returns
    -------
    dict or None
        ``{name: [shape of the first argument of each call, ...]}`` for the targets the
        function called; None when it raised (its error says more).

    Raises
    ------
    Nothing
        The learner's errors are caught; every watched name is put back as it was.
    """
    import sys

    namespace = getattr(function, "__globals__", None)
    spies = {id(target): _Spy(target) for target in targets}
    places = []   # (dictionary, key, original): where a target is reachable from the learner's code
    if isinstance(namespace, dict):
        places += [(namespace, key, value) for key, value in list(namespace.items()) if id(value) in spies]
    package = sys.modules.get("conv2d_lib")   # for conv2d_lib.conv2d(...); the package's own code is not watched
    if package is not None:
        places += [(vars(package), key, value) for key, value in list(vars(package).items()) if id(value) in spies]
    try:
        for owner, key, value in places:
            owner[key] = spies[id(value)]
        _, error = call(function, arguments)
    finally:
        for owner, key, value in places:
            owner[key] = value
    if error is not None:
        return None
    return {target.__name__: spies[id(target)].shapes for target in targets if spies[id(target)].shapes}


def shortcut(function, arguments, targets, exercise, answer_text=""):
    """The feedback for a right function that lets the package compute its answer, or None when it does not.

    Parameters
    ----------
    function : callable
    arguments : tuple
        One case to run it on.
    targets : sequence of callable
        The package functions that would do the exercise for the learner.
    exercise : str
        What the learner should write instead ("the loop", "the formula").
    answer_text : str
        The explanation that gives the answer, shown from the third wrong try.

    Returns
    -------
    Feedback or None

    Raises
    ------
    Nothing
    """
    calls = {function.__name__: [None]} if any(function is target for target in targets) else \
        library_calls(function, arguments, targets)
    if not calls:
        return None
    names = " and ".join(f"`{name}`" for name in calls)
    return Feedback(False, f"Your function gets its answer from the package's {names}, which does the whole job. "
                           f"The exercise is to write {exercise} yourself.", answer_text)


def _show(value):
    """A short text for a value in a message: small arrays in full, large ones by their shape."""
    try:
        if isinstance(value, np.ndarray):
            if value.size <= 12:
                return np.array2string(value, separator=", ").replace("\n", "")
            return f"an array of shape {value.shape}"
        if callable(value):
            return f"the function {getattr(value, '__name__', type(value).__name__)}"
        if isinstance(value, np.generic) and is_number(value):
            value = value.item()
        if isinstance(value, float):
            return f"{value:.6g}"
        text = repr(value)
        return text if len(text) <= 80 else text[:77] + "..."
    except Exception:  # an object whose repr fails
        return f"a {type(value).__name__}"


def _capital(text):
    return text[:1].upper() + text[1:]


# --- the two generic checks ---------------------------------------------------------------

def check_value(answer, expected, what, hint="", answer_text="", kind="a number"):
    """Compare a learner's value (a number, a tuple, an array) with the expected one.

    Parameters
    ----------
    answer : object
        ``None`` or ``...`` mean "not answered yet".
    expected : object
    what : str
        What the value is, for the message ("the output size").
    hint : str
        One sentence pointing to the idea, shown when the answer is wrong.
    answer_text : str
        The explanation that gives the answer, shown from the third wrong try.
    kind : str
        What to write in place of the ``...`` ("a whole number").

    Returns
    -------
    Feedback

    Raises
    ------
    Nothing
        An answer that cannot be compared (a string, a ragged list) is simply not the same.
    """
    if _not_answered(answer):
        return empty(kind)
    if same_numbers(answer, expected) and np.ndim(answer) == np.ndim(expected):
        return Feedback(True, f"{_capital(what)} is {_show(expected)}.")
    return Feedback(False, f"You gave {_show(answer)} for {what}. {hint}".strip(), answer_text)


def check_function(function, cases, what, hint="", answer_text="", mistakes=()):
    """Call a learner's function on several cases and compare with the expected results.

    Parameters
    ----------
    function : callable or None
    cases : list of (tuple, object)
        ``(arguments, expected)``; ``expected`` may be an array.
    what : str
        What the function should compute, for the messages.
    hint : str
        Shown with the first wrong case: where to look, without the answer.
    answer_text : str
        The explanation that gives the answer, shown from the third wrong try.
    mistakes : sequence of (callable, str)
        Typical wrong versions ``wrong(*arguments)`` and what to say about each; when
        one matches the learner's function on every case, its words replace ``hint``.

    Returns
    -------
    Feedback
        Passed when every case matches; otherwise names the first case that does not.

    Raises
    ------
    Nothing
        What the learner's function raises or returns is reported in the Feedback.
    """
    if _not_answered(function) or (callable(function) and is_stub(function)):
        return empty("your function's code")
    if not callable(function):
        return Feedback(False, f"Give a function (the name after def, without brackets), got {_show(function)}.")
    results = []
    for arguments, expected in cases:
        shown = ", ".join(_show(a) for a in arguments)
        result, error = call(function, arguments)
        if isinstance(error, NotImplementedError):
            return empty("your function's code")
        if error is not None:
            return Feedback(False, f"Calling it with ({shown}) raised {type(error).__name__}: {error}", answer_text)
        if result is None:
            return Feedback(False, f"Your function returned None for ({shown}): did you forget `return`?",
                            answer_text)
        results.append(result)
        if same_numbers(result, expected):
            continue
        diagnosis = _diagnose(cases, _all_results(function, cases, results), mistakes)
        if _shape(result) != np.shape(expected):
            return Feedback(False, f"For ({shown}) the result should have shape {np.shape(expected)}, "
                                   f"got {_shape_of(result)}. {diagnosis or hint}".strip(), answer_text)
        if diagnosis and np.size(expected) > 4:   # the typical slip says more than the numbers
            return Feedback(False, f"For ({shown}) your result is not the expected one. {diagnosis}", answer_text)
        diagnosis = diagnosis or hint
        difference = _first_difference(result, expected)
        if difference:
            return Feedback(False, f"For ({shown}) your result {difference}. {diagnosis}".strip(), answer_text)
        return Feedback(False, f"For ({shown}) expected {_show(expected)}, got {_show(result)}. "
                               f"{diagnosis}".strip(), answer_text)
    return Feedback(True, f"Your function computes {what} on all {len(cases)} test cases.")


def _shape(value):
    """``np.shape(value)``, or None for a value NumPy cannot read as an array."""
    try:
        return np.shape(value)
    except Exception:  # a ragged list, an object that refuses to be an array
        return None


def _shape_of(result):
    shape = _shape(result)
    if shape is not None and (isinstance(result, (np.ndarray, list, tuple)) or is_number(result)):
        return f"{shape}"
    return _show(result)


def _all_results(function, cases, so_far):
    """The learner's results on every case (for naming a slip surely), or those so far if a later case raises."""
    if len(so_far) == len(cases):
        return so_far
    rest = [call(function, arguments) for arguments, _ in cases[len(so_far):]]
    if any(error is not None or result is None for result, error in rest):
        return so_far
    return so_far + [result for result, _ in rest]


def _diagnose(cases, results, mistakes):
    """The words of the first typical mistake that gives the learner's results on those cases."""
    for wrong, words in mistakes:
        try:
            if all(same_numbers(result, wrong(*arguments), allow_bool=True)
                   for (arguments, _), result in zip(cases, results)):
                return words
        except Exception:  # a typical mistake that cannot run on some case: not this one
            continue
    return ""


def _first_difference(result, expected):
    """Where two large same-shaped arrays differ, in words ("" for small ones, printed whole instead)."""
    try:
        if np.ndim(expected) == 0 or np.size(expected) <= 12:
            return ""
        result = np.asarray(result, dtype=float)
        wrong = np.argwhere(~np.isclose(result, expected))
        where = tuple(int(i) for i in wrong[0])
        return (f"differs from the expected one in {len(wrong)} of {np.size(expected)} places; first at index "
                f"{where}: expected {np.asarray(expected)[where]:.4g}, got {result[where]:.4g}")
    except Exception:  # values that are not numbers
        return ""
