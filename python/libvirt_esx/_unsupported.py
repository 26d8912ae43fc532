"""The methods of libvirt-python the library does not implement, built from the generated table:
each takes libvirt-python's parameters and raises the library's own error (VIR_ERR_NO_SUPPORT, or
on an object no call returns, libvirt's invalid-pointer error of its kind)."""
import ast
import inspect
from typing import Any, Callable, Type, TypeVar

from ._errors import libvirtError
from ._lib import lib
from ._unsupported_methods import METHODS

C = TypeVar("C")
P = inspect.Parameter


def _signature(params: str) -> inspect.Signature:
    out = [P("self", P.POSITIONAL_OR_KEYWORD)]
    for param in filter(None, params.split(", ")):
        name, has_default, default = param.partition("=")
        out.append(P(name, P.POSITIONAL_OR_KEYWORD,
                     default=ast.literal_eval(default) if has_default else P.empty))
    return inspect.Signature(out)


def _method(cls: str, name: str, function: str, params: str) -> Callable[..., Any]:
    signature = _signature(params)
    export = getattr(lib, function)
    # The export's other arguments as NULL or zero: it reads none of them.
    rest = [kind() for kind in export.argtypes[1:]]

    def method(self: Any, *args: Any, **kwargs: Any) -> Any:
        signature.bind(self, *args, **kwargs)  # a wrong call is a TypeError, as for any method
        export(self.c_pointer() or None, *rest)
        raise libvirtError("%s() failed" % function)

    method.__name__ = name
    method.__qualname__ = "%s.%s" % (cls, name)
    method.__signature__ = signature  # type: ignore[attr-defined]
    method.__doc__ = "Raises the library's error: it does not implement %s." % function
    return method


def unsupported(cls: Type[C]) -> Type[C]:
    """Class decorator: adds the table's methods of the class (none may replace a written one)."""
    for name, (function, params) in METHODS.get(cls.__name__, {}).items():
        assert name not in vars(cls), "%s.%s is written and in the table" % (cls.__name__, name)
        setattr(cls, name, _method(cls.__name__, name, function, params))
    return cls
