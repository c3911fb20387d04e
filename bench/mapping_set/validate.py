import json,subprocess,re,collections,sys
D='/work/main/bench/mapping_set'
NON_SRC = re.compile(r"(^|/)(tests?|docs?|examples?|benchmarks?|\.github|\.circleci|scripts?|notebooks?)/|"
                     r"(^|/)test_[^/]*$|_test\.py$|\.(md|rst|txt|yml|yaml|toml|cfg|ini|json|ipynb)$|"
                     r"^(setup\.py|Makefile|README.*|CHANGELOG.*)$", re.I)
repos=json.load(open(f'{D}/repos.json'))
def ok(gd,obj): return subprocess.run(['git',f'--git-dir={gd}','cat-file','-e',obj],capture_output=True).returncode==0
counts={}; errors=[]; keys=set()
for repo,info in repos.items():
    gd=info['mirror']; n=0
    if not ok(gd,info['head']): errors.append((repo,'head missing'))
    for i,l in enumerate(open(f"{D}/{info['file']}")):
        try: r=json.loads(l)
        except Exception as e: errors.append((repo,i,'parse',str(e))); continue
        n+=1
        for k in ['repo','issue','title','body','labels','fix_commit','parent_commit','changed_files','link']:
            if k not in r: errors.append((repo,r.get('issue'),'missing key',k))
        if r['repo']!=repo: errors.append((repo,r['issue'],'repo mismatch'))
        if (repo,r['issue']) in keys: errors.append((repo,r['issue'],'duplicate'))
        keys.add((repo,r['issue']))
        for s in (r['fix_commit'],r['parent_commit']):
            if not re.fullmatch(r'[0-9a-f]{40}',s) or not ok(gd,s+'^{commit}'): errors.append((repo,r['issue'],'sha',s))
        par=subprocess.run(['git',f'--git-dir={gd}','rev-parse',r['fix_commit']+'^1'],capture_output=True,text=True).stdout.strip()
        if par!=r['parent_commit']: errors.append((repo,r['issue'],'parent is not first parent'))
        if not ok(gd,r['parent_commit']+'^{tree}'): errors.append((repo,r['issue'],'parent tree unreadable'))
        for f in r['changed_files']:
            if not (ok(gd,f"{r['fix_commit']}:{f}") or ok(gd,f"{r['parent_commit']}:{f}")): errors.append((repo,r['issue'],'file missing',f))
        if not any(not NON_SRC.search(f) for f in r['changed_files']): errors.append((repo,r['issue'],'no library source file'))
        if len(r['changed_files'])>15: errors.append((repo,r['issue'],'too many files'))
        if len(r['body'])>600: errors.append((repo,r['issue'],'long body',len(r['body'])))
    counts[repo]=n
    if n!=info['count']: errors.append((repo,'count mismatch',n,info['count']))
print('counts',counts,'total',sum(counts.values()))
print('errors',len(errors)); [print(' ',e) for e in errors[:50]]
