"""The development part's conversations turn by turn, each failing conversation printed with what
each turn should have been and what it was (for whoever tunes the conversation engine; it reads
only the development authors: the held-out part is never printed).

    .venv/bin/python benchmarks/corpus_conversations.py
"""
import sys; sys.path.insert(0, __import__('os').path.dirname(__file__))
import _corpus
from custlens.conversation import Conversation
from custlens.errors import CustlensError
dry=_corpus.dry_session_class(); shapes=_corpus.sessions(dry)
n=right=exact=0
for doc in _corpus.load(_corpus.DEVELOPMENT):
    for conv in doc['conversations']:
        s=shapes[conv.get('data','demo')]; s.conversation, s.history = Conversation(), []
        s.engine = type(s.engine)(s) if hasattr(s,'engine') else None
        lines=[]; bad=False
        for t in conv['turns']:
            try:
                a=s.chat(t['q']); got, params = a.analysis, a.params or {}
            except CustlensError as e:
                got, params = 'error:'+str(e)[:60], {}
            ok_a = got==t['analysis'] or got in (t.get('also') or [])
            ok_s = t['analysis']=='none' or _corpus.slots_match(t.get('slots') or {}, params, _corpus.SCOPE_SLOTS)
            bad |= not (ok_a and ok_s)
            n += 1; right += ok_a; exact += ok_s
            lines.append(f"   {'OK' if ok_a else 'XX'}{'' if ok_s else ' SLOTS'} {t['q']!r} want {t['analysis']} got {got} | want {({k:t.get('slots',{}).get(k) for k in _corpus.SCOPE_SLOTS if (t.get('slots') or {}).get(k)})} got { {k:params.get(k) for k in _corpus.SCOPE_SLOTS if params.get(k)} }")
        if bad: print(conv.get('data'), '\n'.join(lines))
print(f'development conversation turns: {right}/{n} = {right/n:.1%} analysis right, {exact}/{n} = {exact/n:.1%} exact scope slots')
