"""Show the source of a package object in a notebook, so readers see the code next to the paper."""

import inspect


def show_source(obj):
    """Display the source code of ``obj`` (function, class or module).

    In Jupyter the code is shown with syntax highlighting; elsewhere it is printed. Returns nothing,
    so a notebook cell ending with this call shows the code once (``inspect.getsource`` gives the text).
    """
    try:
        source = inspect.getsource(obj)
    except (TypeError, OSError) as error:
        raise ValueError(
            f"show_source: `obj` must be a Python function, class or module defined in a file; "
            f"received {obj!r} ({error})."
        ) from None
    try:
        from IPython import get_ipython
        from IPython.display import Code, display

        if get_ipython() is not None:
            display(Code(source, language="python"))
            return None
    except ImportError:
        pass
    print(source)
    return None
